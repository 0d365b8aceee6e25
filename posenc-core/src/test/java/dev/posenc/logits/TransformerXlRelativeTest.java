package dev.posenc.logits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransformerXlRelativeTest {
    /** Both sides are computed in double from float inputs. */
    static final double SHIFT_ABS_TOL = 1e-9;

    /**
     * XLNet's relative shift lines a query-by-distance matrix up with keys: after the shift, entry (i, j) is the
     * raw entry for distance {@code off + i − j}, the direct formula.
     */
    @Test
    void relativeShiftEqualsIndexingByDistance() {
        SplittableRandom random = new SplittableRandom(3);
        int[][] shapes = {{5, 5, 0}, {4, 9, 5}, {7, 3, 0}, {1, 6, 5}};
        for (int[] s : shapes) {
            int qlen = s[0];
            int klen = s[1];
            int off = s[2];
            int width = qlen + klen;
            double[] raw = new double[qlen * width];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = random.nextDouble(-1, 1);
            }
            double[] shifted = TransformerXlRelative.relShift(raw, qlen, width, klen);
            for (int i = 0; i < qlen; i++) {
                for (int j = 0; j < klen; j++) {
                    int distance = off + i - j;
                    int column = off + qlen - distance;
                    assertEquals(raw[i * width + column], shifted[i * klen + j], SHIFT_ABS_TOL,
                            "qlen " + qlen + " klen " + klen + " i " + i + " j " + j);
                }
            }
        }
    }
}
