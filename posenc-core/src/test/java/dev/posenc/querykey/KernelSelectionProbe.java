package dev.posenc.querykey;

/**
 * Run in a child JVM by {@link KernelSelectionTest}: prints the kernel {@link RopeKernel#best()} chose, whether the
 * vector kernel is available, and the checksum of one rotation, so the test can see the library working without
 * the incubator module.
 */
public final class KernelSelectionProbe {
    private KernelSelectionProbe() {}

    public static void main(String[] args) {
        RotaryFrequencies f = TestFrequencies.defaults(64, 64, RopeLayout.INTERLEAVED, 1e4);
        float[] q = new float[3 * 4 * 64];
        for (int i = 0; i < q.length; i++) {
            q[i] = (i % 7) - 3;
        }
        RotaryEmbedding rope = RotaryEmbedding.of(CosSinCache.of(f, 0, 64));
        rope.applyToQueries(RopePositions.startingAt(5), 3, q, HeadStrides.tokenMajor(4, 64));
        double sum = 0;
        for (float v : q) {
            sum += v;
        }
        System.out.println(rope.kernel().name() + " " + RopeKernel.vector().isPresent() + " " + sum);
    }
}
