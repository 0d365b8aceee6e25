package dev.posenc.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.posenc.lab.encoding.Encodings;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every encoding keeps {@link TinyLm} causal: changing the tokens after a position leaves its logits unchanged. */
class CausalityTest {
    /**
     * Logits at positions ≤ c are computed from the same inputs in both passes, but the batched kernels may sum in
     * another order: float32 rounding of logits of size ~1, a few ulps (~1e-7 each) accumulated over two layers.
     */
    static final double CAUSAL_ABS_TOL = 1e-5;

    private static final ModelConfig MODEL = new ModelConfig(16, 2, 2, ModelConfig.Attention.SOFTMAX);

    static java.util.stream.Stream<String> encodings() {
        return Encodings.NAMES.stream();
    }

    /** Changing the tokens after position c leaves the logits at positions ≤ c unchanged, for every encoding. */
    @ParameterizedTest
    @MethodSource("encodings")
    void everyEncodingKeepsTheModelCausal(String encoding) {
        checkCausal(encoding, MODEL);
    }

    @ParameterizedTest
    @MethodSource("linearEncodings")
    void linearAttentionIsCausal(String encoding) {
        checkCausal(encoding, new ModelConfig(16, 2, 2, ModelConfig.Attention.LINEAR));
    }

    static java.util.stream.Stream<String> linearEncodings() {
        return java.util.stream.Stream.of("nope", "rope");
    }

    private static void checkCausal(String encoding, ModelConfig model) {
        int t = 12;
        int cut = 5;
        try (NDManager m = LabEngine.newManager(LabTestSupport.engine()); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            TinyLm lm = ParameterSet.build(m, 3,
                    ps -> new TinyLm(model, ps, Encodings.create(encoding, ps, model, t))).model();
            lm.prepare(t);
            long[] a = new long[t];
            long[] b = new long[t];
            SplittableRandom random = new SplittableRandom(5);
            for (int i = 0; i < t; i++) {
                a[i] = random.nextInt(256);
                b[i] = i <= cut ? a[i] : random.nextInt(256);
            }
            float[] la = lm.logits(lm.ids(m, a, 1, t), t).toFloatArray();
            float[] lb = lm.logits(lm.ids(m, b, 1, t), t).toFloatArray();
            boolean later = false;
            for (int i = 0; i < la.length; i++) {
                int position = i / ModelConfig.VOCAB;
                if (position <= cut) {
                    assertEquals(la[i], lb[i], CAUSAL_ABS_TOL, encoding + " position " + position);
                } else {
                    later |= Math.abs(la[i] - lb[i]) > CAUSAL_ABS_TOL;
                }
            }
            assertTrue(later, encoding + ": later positions should see the changed tokens");
        }
    }
}
