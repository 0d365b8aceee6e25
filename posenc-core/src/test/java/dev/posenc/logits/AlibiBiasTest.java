package dev.posenc.logits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posenc.testing.ReferenceVectors;
import org.junit.jupiter.api.Test;

class AlibiBiasTest {
    /** float32 tensors of HF against double slopes times integer positions. */
    static final double BIAS_ABS_TOL = 1e-6;
    /** Differences of double biases below 20: exact up to a few double ulps (3.6e-15 at 16). */
    static final double SHIFT_ABS_TOL = 1e-12;

    @Test
    void keyPositionFormIsBloomsBuildAlibiTensorWithPositionsFromTheMask() {
        JsonNode t = ReferenceVectors.load("alibi").get("bloom_tensor");
        int heads = t.get("heads").asInt();
        AlibiBias bloom = new AlibiBias(AlibiSlopes.bloom(heads), AlibiForm.KEY_POSITION);
        JsonNode masks = t.get("attention_mask");
        for (int b = 0; b < masks.size(); b++) {
            int position = 0;
            for (int j = 0; j < masks.get(b).size(); j++) {
                boolean kept = masks.get(b).get(j).asInt() == 1;
                for (int h = 0; h < heads; h++) {
                    double expected = t.get("alibi").get(b).get(h).get(j).asDouble();
                    assertEquals(expected, kept ? bloom.bias(h, 99, position) : 0.0, BIAS_ABS_TOL,
                            "batch " + b + " head " + h + " key " + j);
                }
                if (kept) {
                    position++;
                }
            }
        }
    }

    @Test
    void mptBiasIsTheKeyPositionFormShiftedByAConstantPerHead() {
        JsonNode t = ReferenceVectors.load("alibi").get("mpt_bias");
        int heads = t.get("heads").asInt();
        int seqLen = t.get("seq_len").asInt();
        double[] slopes = AlibiSlopes.mpt(heads, t.get("alibi_bias_max").asDouble());
        AlibiBias keyPosition = new AlibiBias(slopes, AlibiForm.KEY_POSITION);
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < seqLen; j++) {
                assertEquals(t.get("bias").get(h).get(j).asDouble(),
                        keyPosition.bias(h, 0, j) - slopes[h] * (seqLen - 1), BIAS_ABS_TOL, "head " + h + " key " + j);
            }
        }
    }

    @Test
    void causalFormsDifferByAConstantPerQueryRow() {
        AlibiBias paper = AlibiBias.causal(8);
        AlibiBias bloom = new AlibiBias(AlibiSlopes.paper(8), AlibiForm.KEY_POSITION);
        for (int h = 0; h < 8; h++) {
            for (int i = 0; i < 20; i++) {
                double shift = bloom.bias(h, i, 0) - paper.bias(h, i, 0);
                for (int j = 0; j <= i; j++) {
                    assertEquals(shift, bloom.bias(h, i, j) - paper.bias(h, i, j), SHIFT_ABS_TOL);
                }
            }
        }
        assertEquals(-0.5 * 3, AlibiBias.symmetric(8).bias(0, 4, 7), 0.0);
        assertTrue(paper.relativeOnly() && !bloom.relativeOnly());
        assertThrows(IllegalArgumentException.class, () -> paper.checkAttention(false));
        assertThrows(IllegalArgumentException.class, () -> new AlibiBias(new double[] {Double.NaN}, AlibiForm.CAUSAL));
    }
}
