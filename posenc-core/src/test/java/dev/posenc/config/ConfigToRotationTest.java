package dev.posenc.config;

import dev.posenc.testing.HfConfigsFolder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.posenc.querykey.CosSinOnTheFly;
import dev.posenc.querykey.HeadStrides;
import dev.posenc.querykey.RopeKernel;
import dev.posenc.querykey.RopePositions;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryAxes;
import dev.posenc.querykey.RotaryEmbedding;
import dev.posenc.querykey.RotaryFrequencies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * From a real {@code config.json} to rotated queries and keys: every RoPE config of the shared folder goes through
 * {@link HfConfig} and {@link RopeSpec#frequencies(long)} into {@link RotaryEmbedding} (with its M-RoPE sections
 * when it has them), and the rotation keeps the relative-position identity
 * {@code ⟨R_m q, R_n k⟩ = s · ⟨q, R_(n-m) k⟩} ({@code s = attention_scaling}, which multiplies cos and sin, so it
 * appears squared on the left and once on the right), per axis for M-RoPE; the vector kernel equals the scalar one.
 */
class ConfigToRotationTest {
    /** As in RopePropertyTest: two float ulps per rotated element on each side, relative to s²|q||k|. */
    private static final double DOT_REL_TOL = 0x1p-20;

    private record Case(String name, RopeSpec spec, Optional<MRopeSection> mrope) {}

    private static List<Case> ropeConfigs() throws IOException {
        Optional<Path> folder = HfConfigsFolder.find();
        assumeTrue(folder.isPresent(), "shared hf-configs folder absent");
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder.get())) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                if (HfConfig.load(file).encoding() instanceof RopeEncoding rope) {
                    String name = file.getFileName().toString();
                    cases.add(new Case(name, rope.spec(), rope.mrope()));
                    rope.otherLayerTypes().forEach((type, spec) -> cases.add(new Case(name + " " + type, spec,
                            rope.mrope())));
                }
            }
        }
        return cases;
    }

    @Test
    void everyRealRopeConfigRotatesWithRelativePositionsAndEqualKernels() throws IOException {
        List<Case> cases = ropeConfigs();
        assertTrue(cases.size() >= 25, "expected the RoPE configs of the shared folder, got " + cases.size());
        RopeKernel vector = RopeKernel.vector().orElseThrow(() -> new AssertionError("vector kernel missing"));
        SplittableRandom r = new SplittableRandom(2026);
        for (Case c : cases) {
            RotaryFrequencies f = c.spec().frequencies(c.spec().maxPositionEmbeddings());
            RotaryEmbedding rope = RotaryEmbedding.of(CosSinOnTheFly.of(f)).withKernel(RopeKernel.scalar());
            int axes = 1;
            if (c.mrope().isPresent()) {
                MRopeSection m = c.mrope().get();
                rope = rope.withAxes(m.interleaved() ? RotaryAxes.mropeInterleaved(m.section())
                        : RotaryAxes.mrope(m.section()));
                axes = m.section().length;
            }
            int headDim = f.headDim();
            for (int trial = 0; trial < 20; trial++) {
                float[] q = random(r, headDim);
                float[] k = random(r, headDim);
                int[] m = new int[axes];
                int[] n = new int[axes];
                int[] d = new int[axes];
                for (int a = 0; a < axes; a++) {
                    m[a] = r.nextInt(c.spec().maxPositionEmbeddings());
                    n[a] = m[a] + r.nextInt(c.spec().maxPositionEmbeddings());
                    d[a] = n[a] - m[a];
                }
                double lhs = dot(rotate(rope, q, m, true), rotate(rope, k, n, false));
                double rhs = f.attentionScaling() * dot(q, rotate(rope, k, d, false));
                double s = f.attentionScaling();
                assertEquals(rhs, lhs, DOT_REL_TOL * s * s * Math.sqrt(dot(q, q) * dot(k, k)),
                        c.name() + " trial " + trial);
                assertArrayEquals(rotate(rope, q, m, true), rotate(rope.withKernel(vector), q, m, true), c.name());
            }
        }
    }

    private static float[] rotate(RotaryEmbedding rope, float[] x, int[] positions, boolean query) {
        float[] y = x.clone();
        int[][] ids = new int[positions.length][];
        for (int a = 0; a < positions.length; a++) {
            ids[a] = new int[] {positions[a]};
        }
        RopePositions p = positions.length == 1 ? RopePositions.of(positions[0]) : RopePositions.axes(ids);
        HeadStrides one = HeadStrides.tokenMajor(1, x.length);
        if (query) {
            rope.applyToQueries(p, 1, y, one);
        } else {
            rope.applyToKeys(p, 1, y, one);
        }
        return y;
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
