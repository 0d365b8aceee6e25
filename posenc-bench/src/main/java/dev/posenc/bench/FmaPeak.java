package dev.posenc.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The single-thread float FMA peak of this machine as the JVM reaches it: a loop of independent Vector API
 * {@code fma}s on registers (12 accumulators, enough to hide the FMA latency of current x86 and ARM cores), no
 * memory traffic. Attention's floating-point work ({@code 4·d} flops per query/key pair: {@code q·k} and
 * {@code p·v}) is reported as a fraction of it. Needs {@code jdk.incubator.vector} resolved.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int ACCUMULATORS = 12;
    private static final int INNER = 1 << 16;
    /** Keeps the accumulators observable, so the JIT cannot drop the loop. */
    private static volatile float sink;

    private FmaPeak() {}

    /**
     * The best of {@code rounds} rounds of about {@code millis} ms each, in GFLOP/s (2 flops per lane per FMA); the
     * first round also warms the JIT up.
     */
    public static double gflops(int rounds, int millis) {
        double best = 0;
        for (int r = 0; r < rounds; r++) {
            best = Math.max(best, round(millis));
        }
        return best;
    }

    private static double round(int millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long calls = 0;
        long start = System.nanoTime();
        long now;
        do {
            sink += inner(INNER);
            calls++;
            now = System.nanoTime();
        } while (now < deadline);
        double flops = (double) calls * INNER * ACCUMULATORS * 2 * SPECIES.length();
        return flops / (now - start);
    }

    private static float inner(int n) {
        FloatVector m = FloatVector.broadcast(SPECIES, 0.999_999f);
        FloatVector c = FloatVector.broadcast(SPECIES, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(SPECIES, 1f);
        FloatVector a1 = a0.add(1e-3f);
        FloatVector a2 = a0.add(2e-3f);
        FloatVector a3 = a0.add(3e-3f);
        FloatVector a4 = a0.add(4e-3f);
        FloatVector a5 = a0.add(5e-3f);
        FloatVector a6 = a0.add(6e-3f);
        FloatVector a7 = a0.add(7e-3f);
        FloatVector a8 = a0.add(8e-3f);
        FloatVector a9 = a0.add(9e-3f);
        FloatVector a10 = a0.add(10e-3f);
        FloatVector a11 = a0.add(11e-3f);
        for (int i = 0; i < n; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
