package dev.posenc.lab.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.posenc.input.PositionDynamics;
import dev.posenc.input.RecurrentPositions;
import dev.posenc.input.SinusoidalPositions;
import dev.posenc.lab.LabEngine;
import dev.posenc.lab.LabTestSupport;
import dev.posenc.lab.ModelConfig;
import dev.posenc.lab.OwnedTensors;
import dev.posenc.lab.ParameterSet;
import dev.posenc.logits.FireBias;
import dev.posenc.logits.KerpleBias;
import dev.posenc.querykey.RotaryFrequencies;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encodings whose math lives inside the autograd graph equal posenc-core's reference at the same parameters
 * ({@code KerpleBias}, {@code FireBias}, {@code RecurrentPositions} with RK4, RoPE's {@code CosSinCache}); the
 * stacked query/key rotation equals Hugging Face's {@code rotate_half} on each. Causality of the whole model with
 * each encoding: {@code dev.posenc.lab.CausalityTest}.
 */
class EncodingGraphTest {
    /** float32 graph vs double reference: angles up to 64·1 rad, cos/sin rounding. */
    static final double ROPE_TABLE_ABS_TOL = 2e-5;
    /**
     * float32 graph vs double reference: KERPLE is three rounded ops, FIRE sums 32 hidden units of the MLP (≈ 32
     * roundings of 6e-8 relative, 2e-6); 1e-5 leaves a factor 5.
     */
    static final double BIAS_REL_TOL = 1e-5;
    /** x·R is exact (one ±1 per column); the products and the sum round alike up to one ulp of |x| ~ 4. */
    static final double STACKED_ROPE_ABS_TOL = 1e-6;
    /**
     * float32 RK4 steps as matrix products vs posenc-core's double RK4, 20 steps, |p| ≤ 1.5: each step rounds a
     * D = 8 term product and the float32 step matrix (≈ 1e-6), accumulating to ≈ 2e-5 over the chain; a factor 5.
     */
    static final double FLOATER_ABS_TOL = 1e-4;
    /** RK4 with step 1 on pairs with ω ≤ 0.1 over 20 steps: global error ≈ 20·ω^5/120 ≤ 2e-6, plus float32. */
    static final double RK4_SLOW_PAIRS_SINUSOID_ABS_TOL = 1e-4;
    /** YaRN's float32 blend of interpolated and extrapolated inv_freq vs the plain one: within 1.7 float32 ulps. */
    static final double INV_FREQ_REL_TOL = 2e-7;

    @Test
    void learnedThetaAtInitialisationEqualsCoreTables() {
        int t = 64;
        int hd = 8;
        try (NDManager m = LabEngine.newManager(LabTestSupport.engine()); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            RotaryLearnedTheta learned = ParameterSet.build(m, 1, ps -> new RotaryLearnedTheta(ps, hd)).model();
            learned.prepare(t);
            NDList graph = learned.cosSin(t);
            float[][] reference = CoreTables.ropeCosSin(CoreTables.ropeDefault(hd, Rotary.THETA), t);
            assertClose(reference[0], graph.get(0).toFloatArray(), ROPE_TABLE_ABS_TOL, "cos");
            assertClose(reference[1], graph.get(1).toFloatArray(), ROPE_TABLE_ABS_TOL, "sin");
        }
    }

    @Test
    void kerpleGraphEqualsReferenceAtTheSameParameters() {
        int t = 12;
        try (NDManager m = LabEngine.newManager(LabTestSupport.engine()); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            KerpleLog kerple = ParameterSet.build(m, 9, ps -> new KerpleLog(ps, 1, 3)).model();
            kerple.prepare(t);
            float[] bias = kerple.logitBias(null, null, 0, t).toFloatArray();
            float[] r1 = kerple.r1(0).toFloatArray();
            float[] r2 = kerple.r2(0).toFloatArray();
            double[] a = new double[3];
            double[] b = new double[3];
            for (int h = 0; h < 3; h++) {
                a[h] = Math.max(r1[h], KerpleLog.MIN_PARAMETER);
                b[h] = Math.max(r2[h], KerpleLog.MIN_PARAMETER);
            }
            KerpleBias reference = new KerpleBias(KerpleBias.Kind.LOG, a, b);
            for (int h = 0; h < 3; h++) {
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < t; j++) {
                        double expected = reference.bias(h, i, j);
                        assertEquals(expected, bias[(h * t + i) * t + j], BIAS_REL_TOL * Math.max(1, Math.abs(expected)),
                                "h=" + h + " i=" + i + " j=" + j);
                    }
                }
            }
        }
    }

    @Test
    void fireGraphEqualsReferenceAtTheSameParameters() {
        int t = 10;
        int heads = 2;
        try (NDManager m = LabEngine.newManager(LabTestSupport.engine()); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Fire fire = ParameterSet.build(m, 4, ps -> new Fire(ps, 1, heads)).model();
            fire.c[0].set(new float[] {0.37f});
            fire.threshold[0].set(new float[] {0.01f}); // L = 5.12 < t: the max(L, i) switch is exercised
            fire.prepare(t);
            float[] bias = fire.logitBias(null, null, 0, t).toFloatArray();
            float[] w1 = fire.w1[0].toFloatArray();
            float[] b1 = fire.b1[0].toFloatArray();
            float[] w2 = fire.w2[0].toFloatArray();
            float[] b2 = fire.b2[0].toFloatArray();
            // posenc-core's FIRE: output weight is numHeads × width (row per head), ours is width × heads.
            float[] outputWeight = new float[heads * Fire.HIDDEN];
            for (int u = 0; u < Fire.HIDDEN; u++) {
                for (int h = 0; h < heads; h++) {
                    outputWeight[h * Fire.HIDDEN + u] = w2[u * heads + h];
                }
            }
            FireBias reference = new FireBias(heads, w1, b1, outputWeight, b2, 0.37f, 0.01f * Fire.THRESHOLD_BASE);
            for (int i = 0; i < t; i++) {
                for (int j = 0; j <= i; j++) {
                    for (int h = 0; h < heads; h++) {
                        double out = reference.bias(h, i, j);
                        assertEquals(out, bias[(h * t + i) * t + j], BIAS_REL_TOL * Math.max(1, Math.abs(out)),
                                "h=" + h + " i=" + i + " j=" + j);
                    }
                }
            }
        }
    }

    @Test
    void floaterGraphEqualsPosencCoreRk4AndStartsAtTheSinusoid() {
        int t = 20;
        int d = 8;
        try (NDManager m = LabEngine.newManager(LabTestSupport.engine()); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ParameterSet.Built<Floater> built = ParameterSet.build(m, 2, ps -> new Floater(ps, d));
            ParameterSet parameters = built.parameters();
            Floater floater = built.model();
            floater.prepare(t);
            // posenc-core's FLOATER of the sinusoid: the same ω, p(0) and RK4 (step 1) as the graph at initialisation.
            RecurrentPositions core = RecurrentPositions.ofSinusoid(SinusoidalPositions.vaswani(d), 1);
            float[] initial = floater.positions(t).toFloatArray();
            assertClose(core.table(0, t), initial, FLOATER_ABS_TOL, "initial FLOATER vs posenc-core's");
            // W2 = 0 at initialisation: the flow is the rotation whose solution is the sinusoid. RK4 with step 1
            // follows it closely on the slow pairs (ω ≤ 0.1: all but pair 0, whose ω = 1 drifts by ~1% a step).
            float[] sinusoid = CoreTables.sinusoidalInterleaved(t, d);
            for (int step = 0; step < t; step++) {
                for (int i = 2; i < d; i++) {
                    assertEquals(sinusoid[step * d + i], initial[step * d + i], RK4_SLOW_PAIRS_SINUSOID_ABS_TOL,
                            "initial FLOATER vs sinusoid, t=" + step + " i=" + i);
                }
            }
            SplittableRandom random = new SplittableRandom(11);
            float[] a = new float[d * d];
            float[] w2 = new float[Floater.HIDDEN * d];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) random.nextDouble(-3, 3);
            }
            for (int i = 0; i < w2.length; i++) {
                w2[i] = (float) random.nextDouble(-0.2, 0.2);
            }
            parameters.all().get("pos.floater.A").set(a);
            parameters.all().get("pos.floater.w2").set(w2);
            float[] w1 = parameters.all().get("pos.floater.w1").toFloatArray();
            float[] b1 = parameters.all().get("pos.floater.b1").toFloatArray();
            float[] graph = floater.positions(t).toFloatArray();
            PositionDynamics rotation = core.dynamics();
            PositionDynamics h = (time, p, dpdt) -> {
                rotation.derivative(time, p, dpdt);
                double[] learned = learnedDynamics(p, time, a, w1, b1, w2, d);
                for (int o = 0; o < d; o++) {
                    dpdt[o] += learned[o];
                }
            };
            float[] reference = new RecurrentPositions(core.initialState(), h, 1).table(0, t);
            assertClose(reference, graph, FLOATER_ABS_TOL, "FLOATER graph vs posenc-core RK4");
        }
    }

    /** The learned part of h: p·tanh(Aᵀ − A)/D + tanh(w1·t/τ + b1)·W2, in double (Ω·p comes from posenc-core). */
    private static double[] learnedDynamics(double[] p, double time, float[] a, float[] w1, float[] b1, float[] w2,
                                            int d) {
        double[] out = new double[d];
        for (int o = 0; o < d; o++) {
            for (int i = 0; i < d; i++) {
                out[o] += p[i] * Math.tanh(a[o * d + i] - a[i * d + o]) / d;
            }
        }
        for (int u = 0; u < Floater.HIDDEN; u++) {
            double hidden = Math.tanh(w1[u] * time / Floater.TIME_SCALE + b1[u]);
            for (int o = 0; o < d; o++) {
                out[o] += hidden * w2[u * d + o];
            }
        }
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
        }
    }

    /** The stacked rotation of q, k (and v, untouched) equals HF's rotate_half on each; xPos scales q and k apart. */
    @ParameterizedTest
    @MethodSource("queryKeyEncodings")
    void stackedRotationEqualsTheHuggingFaceWayAndKeepsValues(String encoding) {
        int t = 9;
        int hd = 8;
        try (NDManager m = LabEngine.newManager(LabTestSupport.engine()); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ModelConfig model = new ModelConfig(2 * hd, 1, 2, ModelConfig.Attention.SOFTMAX);
            LabEncoding pe = ParameterSet.build(m, 1, ps -> Encodings.create(encoding, ps, model, t)).model();
            pe.prepare(t);
            NDArray qkv = OwnedTensors.floats(m, randomValues(3 * 3 * 2 * t * hd, 13), new Shape(3, 3, 2, t, hd));
            NDArray fast = pe.queryKey(qkv, 0, t);
            NDArray[] cos = new NDArray[2];
            NDArray[] sin = new NDArray[2];
            float[][] table = CoreTables.ropeCosSin(CoreTables.ropeDefault(hd, Rotary.THETA), t);
            for (int s = 0; s < 2; s++) {
                float[][] scaled = {table[0].clone(), table[1].clone()};
                if (encoding.equals("xpos")) {
                    for (int p = 0; p < t; p++) {
                        for (int c = 0; c < hd; c++) {
                            double scale = CoreTables.xposQueryScale(Rotary.XPOS_SCALE_BASE, hd, c % (hd / 2), p);
                            double factor = s == 0 ? scale : 1 / scale;
                            scaled[0][p * hd + c] = (float) (table[0][p * hd + c] * factor);
                            scaled[1][p * hd + c] = (float) (table[1][p * hd + c] * factor);
                        }
                    }
                }
                cos[s] = OwnedTensors.floats(m, scaled[0], new Shape(t, hd));
                sin[s] = OwnedTensors.floats(m, scaled[1], new Shape(t, hd));
            }
            for (int s = 0; s < 2; s++) {
                assertClose(Rotary.rotate(qkv.get(s), cos[s], sin[s]).toFloatArray(), fast.get(s).toFloatArray(),
                        STACKED_ROPE_ABS_TOL, encoding + " slot " + s);
            }
            assertArrayEquals(qkv.get(2).toFloatArray(), fast.get(2).toFloatArray(), encoding + ": values changed");
        }
    }

    static java.util.stream.Stream<String> queryKeyEncodings() {
        return java.util.stream.Stream.of("rope", "xpos", "rope-learned-theta");
    }

    private static float[] randomValues(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(-2, 2);
        }
        return v;
    }

    @Test
    void yarnAtFactorOneIsDefaultRope() {
        RotaryFrequencies yarn = CoreTables.ropeYarn(16, Rotary.THETA, 1, 64);
        RotaryFrequencies plain = CoreTables.ropeDefault(16, Rotary.THETA);
        for (int i = 0; i < plain.pairs(); i++) {
            assertEquals(plain.invFreq(i), yarn.invFreq(i), INV_FREQ_REL_TOL * plain.invFreq(i), "inv_freq " + i);
        }
        assertEquals(1.0, yarn.attentionScaling());
    }
}
