package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Rotations compared with independent computations: the torch reference vectors of
 * {@code reference/rope-apply/} (Hugging Face llama, GPT-J, DeepSeek-V3, Phi partial rotary, Qwen2-VL M-RoPE,
 * Qwen3-VL interleaved M-RoPE, the Qwen2-VL vision encoder's 2-D positions, rotary-embedding-torch xPos; see its
 * {@code generate.py}), and the test vectors of rope-variants.md §8 and pe-methods.md §2.
 */
class RopeReferenceTest {
    /**
     * Per element, relative to the length of its rotated pair in the expected output: each output float carries
     * the rounding of cos/sin (half an ulp each), of two products and of a sum, about two ulps of the pair's
     * length; torch's float32 cos/sin may differ from ours by one ulp more. Eight ulps leave margin, and still
     * reject a wrong position, pairing, axis or scale by many orders of magnitude.
     */
    private static final double PAIR_REL_TOL = 8 * 0x1p-24;

    /** rope-variants.md §8 prints 9 decimals; the values reach 8: about three float ulps at 8. */
    private static final double SECTION8_ABS_TOL = 3e-6;

    /** pe-methods.md §2 prints 4 to 6 decimals: half a unit of the 4th. */
    private static final double PE_METHODS_ABS_TOL = 5e-5;
    /** Values printed with 6 decimals: half a unit in the last place. */
    private static final double PRINTED_6_DECIMALS_ABS_TOL = 5e-7;

    static Stream<Arguments> cases() {
        Map<String, Object> root = ReferenceJson.object(ReferenceJson.resource("/reference/rope-apply/vectors.json"));
        List<Arguments> out = new ArrayList<>();
        for (Object c : ReferenceJson.list(root.get("cases"))) {
            Map<String, Object> m = ReferenceJson.object(c);
            for (RotaryPrecision precision : RotaryPrecision.values()) {
                for (String kernel : new String[] {"scalar", "vector"}) {
                    out.add(Arguments.of(m.get("name"), precision, kernel, m));
                }
            }
        }
        return out.stream();
    }

    /**
     * {@link RotaryPrecision#EXACT} against the float64 evaluation of the reference code, and
     * {@link RotaryPrecision#HF_FLOAT32} against the float32 one (what a torch run produces).
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void matchesTheTorchReference(String name, RotaryPrecision precision, String kernelName, Map<String, Object> c) {
        RopeKernel kernel = kernelName.equals("scalar") ? RopeKernel.scalar()
                : RopeKernel.vector().orElseThrow(() -> new AssertionError("vector kernel missing"));
        int headDim = num(c, "head_dim");
        int rotaryDim = num(c, "rotary_dim");
        int tokens = num(c, "tokens");
        int queryHeads = num(c, "query_heads");
        int keyHeads = num(c, "key_heads");
        RopeLayout layout = c.get("layout").equals("half") ? RopeLayout.HALF : RopeLayout.INTERLEAVED;
        RotaryFrequencies f = new RotaryFrequencies(headDim, rotaryDim, layout, ReferenceJson.floats(c.get("inv_freq")),
                (Double) c.get("attention_scaling"));

        RotaryEmbedding rope = RotaryEmbedding.of(CosSinOnTheFly.of(f, precision)).withKernel(kernel);
        RopePositions positions;
        if (c.containsKey("position_ids")) {
            List<Object> rows = ReferenceJson.list(c.get("position_ids"));
            int[][] ids = new int[rows.size()][];
            for (int a = 0; a < ids.length; a++) {
                ids[a] = ReferenceJson.ints(rows.get(a));
            }
            positions = RopePositions.axes(ids);
            Map<String, Object> axes = ReferenceJson.object(c.get("axes"));
            rope = rope.withAxes(switch ((String) axes.get("kind")) {
                case "mrope" -> RotaryAxes.mrope(ReferenceJson.ints(axes.get("mrope_section")));
                case "mrope_interleaved" -> RotaryAxes.mropeInterleaved(ReferenceJson.ints(axes.get("mrope_section")));
                case "row_column" -> RotaryAxes.rowColumn(f.pairs());
                default -> throw new AssertionError("unknown axes " + axes);
            });
        } else {
            positions = RopePositions.of(ReferenceJson.ints(c.get("positions")));
        }
        if (c.containsKey("xpos")) {
            Map<String, Object> x = ReferenceJson.object(c.get("xpos"));
            rope = rope.withXPos(new XPos((Double) x.get("scale_base"), num(x, "center")));
        }
        boolean headMajor = c.get("tensor_layout").equals("head_major");
        HeadStrides qs = headMajor ? HeadStrides.headMajor(queryHeads, tokens, headDim)
                : HeadStrides.tokenMajor(queryHeads, headDim);
        HeadStrides ks = headMajor ? HeadStrides.headMajor(keyHeads, tokens, headDim)
                : HeadStrides.tokenMajor(keyHeads, headDim);

        float[] q = ReferenceJson.floats(c.get("query"));
        float[] k = ReferenceJson.floats(c.get("key"));
        rope.apply(positions, tokens, q, qs, k, ks);
        if ("deinterleave".equals(c.get("output_permutation"))) {
            q = deinterleave(q, headDim, rotaryDim);
            k = deinterleave(k, headDim, rotaryDim);
        }
        Map<String, Object> expected = ReferenceJson.object(
                c.get(precision == RotaryPrecision.EXACT ? "expected_fp64" : "expected_fp32"));
        String what = name + " " + precision + " " + kernel;
        assertPairsClose(ReferenceJson.doubles(expected.get("query")), q, headDim, rotaryDim, layout, c, what + " query");
        assertPairsClose(ReferenceJson.doubles(expected.get("key")), k, headDim, rotaryDim, layout, c, what + " key");
    }

    /** The rotation test vectors of rope-variants.md §8 (d=8, θ=1e4, p=3, x = 1..8). */
    @Test
    void ropeVariantsSection8RotationVectors() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] inv = {1f, 0.1f, 0.01f, 0.001f};
        assertRotation(new double[] {-1.695592537, 0.137551738, 2.7886816, 3.975982036, -4.808842475, 6.323059348,
                7.086836737, 8.011963982}, new RotaryFrequencies(8, 8, RopeLayout.HALF, inv, 1), 3, x,
                SECTION8_ABS_TOL, "NeoX");
        assertRotation(new double[] {-1.272232513, -1.838864985, 1.683928641, 4.707906576, 4.817777168, 6.147277704,
                6.975968536, 8.020963969}, new RotaryFrequencies(8, 8, RopeLayout.INTERLEAVED, inv, 1), 3, x,
                SECTION8_ABS_TOL, "GPT-J");
        assertRotation(new double[] {-1.413352521, 1.879118067, -2.828857482, 4.058191135, 5, 6, 7, 8},
                new RotaryFrequencies(8, 4, RopeLayout.HALF, new float[] {1f, 0.01f}, 1), 3, x, SECTION8_ABS_TOL,
                "NeoX partial");
        assertRotation(new double[] {-1.695592537, 0.137551738, 3, 4, -4.808842475, 6.323059348, 7, 8},
                new RotaryFrequencies(8, 8, RopeLayout.HALF, new float[] {1f, 0.1f, 0f, 0f}, 1), 3, x,
                SECTION8_ABS_TOL, "proportional");
    }

    /** pe-methods.md §2: d=4, m=1, x = [1, 2, 3, 4], θ = 1e4. */
    @Test
    void peMethodsSection2RotationVectors() {
        float[] x = {1, 2, 3, 4};
        float[] inv = {1f, 0.01f};
        assertRotation(new double[] {-1.14264, 1.922076, 2.959851, 4.0298},
                new RotaryFrequencies(4, 4, RopeLayout.INTERLEAVED, inv, 1), 1, x, PE_METHODS_ABS_TOL, "interleaved");
        assertRotation(new double[] {-1.984111, 1.959901, 2.462378, 4.0198},
                new RotaryFrequencies(4, 4, RopeLayout.HALF, inv, 1), 1, x, PE_METHODS_ABS_TOL, "half");
    }

    /** pe-methods.md §2: xPos ζ for d = 8. */
    @Test
    void xPosZetaForDimension8() {
        double[] expected = {0.285714, 0.464286, 0.642857, 0.821429};
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], XPos.zeta(8, i), PRINTED_6_DECIMALS_ABS_TOL, "zeta " + i);
        }
    }

    /** Rotates {@code x} to {@code position} with both kernels and compares with the published values. */
    private static void assertRotation(double[] expected, RotaryFrequencies f, int position, float[] x, double tol,
                                       String what) {
        for (RopeKernel kernel : new RopeKernel[] {RopeKernel.scalar(), RopeKernel.best()}) {
            float[] y = x.clone();
            RotaryEmbedding.of(CosSinCache.of(f, 0, 8)).withKernel(kernel)
                    .applyToQueries(RopePositions.startingAt(position), 1, y, HeadStrides.tokenMajor(1, f.headDim()));
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], y[i], tol, what + " " + kernel + " element " + i);
            }
        }
    }

    private static void assertPairsClose(double[] expected, float[] actual, int headDim, int rotaryDim,
                                         RopeLayout layout, Map<String, Object> c, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        int pairs = rotaryDim / 2;
        boolean halfOutput = layout == RopeLayout.HALF || "deinterleave".equals(c.get("output_permutation"));
        for (int base = 0; base < expected.length; base += headDim) {
            for (int i = 0; i < pairs; i++) {
                int i0 = halfOutput ? base + i : base + 2 * i;
                int i1 = halfOutput ? base + i + pairs : base + 2 * i + 1;
                double length = Math.hypot(expected[i0], expected[i1]);
                double tol = PAIR_REL_TOL * length;
                if (Math.abs(expected[i0] - actual[i0]) > tol || Math.abs(expected[i1] - actual[i1]) > tol) {
                    fail(what + ": pair " + i + " of the head at " + base + ": expected (" + expected[i0] + ", "
                            + expected[i1] + "), got (" + actual[i0] + ", " + actual[i1] + ")");
                }
            }
            for (int j = rotaryDim; j < headDim; j++) {
                assertTrue(expected[base + j] == actual[base + j], what + ": pass-through column " + j + " changed");
            }
        }
    }

    /** DeepSeek-V3's {@code view(.., d//2, 2).transpose(4, 3)}: interleaved columns to half-split order. */
    private static float[] deinterleave(float[] x, int headDim, int rotaryDim) {
        float[] y = x.clone();
        int pairs = rotaryDim / 2;
        for (int base = 0; base < x.length; base += headDim) {
            for (int i = 0; i < pairs; i++) {
                y[base + i] = x[base + 2 * i];
                y[base + pairs + i] = x[base + 2 * i + 1];
            }
        }
        return y;
    }

    private static int num(Map<String, Object> m, String key) {
        return (int) (double) (Double) m.get(key);
    }
}
