package dev.posenc.logits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posenc.testing.ReferenceVectors;
import org.junit.jupiter.api.Test;

class T5BucketsTest {
    private static final int[] PE_METHODS_RP =
            {-200, -128, -127, -64, -32, -16, -9, -8, -7, -1, 0, 1, 7, 8, 9, 16, 32, 64, 127, 128, 200};

    @Test
    void matchesPeMethodsTestVectors() {
        int[] bidirectional = {15, 15, 15, 14, 12, 10, 8, 8, 7, 1, 0, 17, 23, 24, 24, 26, 28, 30, 31, 31, 31};
        int[] causal = {31, 31, 31, 26, 21, 16, 9, 8, 7, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        T5Buckets bi = new T5Buckets(32, 128, true);
        T5Buckets uni = new T5Buckets(32, 128, false);
        for (int i = 0; i < PE_METHODS_RP.length; i++) {
            assertEquals(bidirectional[i], bi.bucket(PE_METHODS_RP[i]), "bidirectional rp=" + PE_METHODS_RP[i]);
            assertEquals(causal[i], uni.bucket(PE_METHODS_RP[i]), "causal rp=" + PE_METHODS_RP[i]);
        }
    }

    @Test
    void equalsHuggingFaceBucketForEveryRelativePositionInTheReferenceRanges() {
        JsonNode vectors = ReferenceVectors.load("t5");
        int checked = 0;
        for (JsonNode c : vectors.get("ranges")) {
            T5Buckets buckets = new T5Buckets(c.get("num_buckets").asInt(), c.get("max_distance").asInt(),
                    c.get("bidirectional").asBoolean());
            int first = c.get("first_relative_position").asInt();
            JsonNode expected = c.get("bucket");
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).asInt(), buckets.bucket(first + i), buckets + " rp=" + (first + i));
                checked++;
            }
        }
        for (JsonNode c : vectors.get("far")) {
            T5Buckets buckets = new T5Buckets(c.get("num_buckets").asInt(), c.get("max_distance").asInt(),
                    c.get("bidirectional").asBoolean());
            for (int i = 0; i < c.get("bucket").size(); i++) {
                int rp = c.get("relative_position").get(i).asInt();
                assertEquals(c.get("bucket").get(i).asInt(), buckets.bucket(rp), buckets + " rp=" + rp);
            }
        }
        assertTrue(checked > 100_000, "reference ranges were read");
    }

    @Test
    void relativePositionIsKeyMinusQuery() {
        T5Buckets bi = new T5Buckets(32, 128, true);
        assertEquals(bi.bucket(5), bi.bucket(10, 15));
        assertEquals(bi.bucket(-5), bi.bucket(15, 10));
    }

    @Test
    void rejectsBucketCountsAndDistancesWhereTheFormulaIsUndefined() {
        assertThrows(IllegalArgumentException.class, () -> new T5Buckets(1, 128, false));
        assertThrows(IllegalArgumentException.class, () -> new T5Buckets(3, 128, true));
        assertThrows(IllegalArgumentException.class, () -> new T5Buckets(32, 8, true));
        assertThrows(IllegalArgumentException.class, () -> new T5Buckets(32, -1, false));
    }
}
