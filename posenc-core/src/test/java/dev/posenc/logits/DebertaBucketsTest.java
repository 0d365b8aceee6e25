package dev.posenc.logits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posenc.testing.ReferenceVectors;
import org.junit.jupiter.api.Test;

class DebertaBucketsTest {
    @Test
    void matchesPeMethodsTestVectorsAndIsOdd() {
        DebertaBuckets buckets = new DebertaBuckets(256, 512);
        int[] rel = {1000, 511, 300, 200, 129, 128, 127};
        int[] expected = {317, 255, 207, 169, 129, 128, 127};
        for (int i = 0; i < rel.length; i++) {
            assertEquals(expected[i], buckets.bucket(rel[i]), "rel=" + rel[i]);
            assertEquals(-expected[i], buckets.bucket(-rel[i]), "rel=" + -rel[i]);
        }
    }

    @Test
    void equalsHuggingFaceMakeLogBucketPosition() {
        JsonNode vectors = ReferenceVectors.load("deberta");
        for (JsonNode c : vectors.get("ranges")) {
            DebertaBuckets buckets =
                    new DebertaBuckets(c.get("position_buckets").asInt(), c.get("max_relative_positions").asInt());
            int first = c.get("first_relative_position").asInt();
            JsonNode expected = c.get("bucket");
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).asInt(), buckets.bucket(first + i), buckets + " rel=" + (first + i));
            }
        }
    }

    @Test
    void equalsHuggingFaceBuildRelativePositionWithQueryMinusKey() {
        for (JsonNode m : ReferenceVectors.load("deberta").get("matrices")) {
            DebertaBuckets buckets =
                    new DebertaBuckets(m.get("position_buckets").asInt(), m.get("max_relative_positions").asInt());
            int q = m.get("query_size").asInt();
            int k = m.get("key_size").asInt();
            for (int i = 0; i < q; i++) {
                for (int j = 0; j < k; j++) {
                    assertEquals(m.get("relative_pos").get(i * k + j).asInt(), buckets.bucket(i, j),
                            buckets + " q=" + i + " k=" + j);
                }
            }
        }
    }

    @Test
    void withoutBucketsTheRelativePositionPassesThrough() {
        DebertaBuckets plain = new DebertaBuckets(-1, 512);
        assertEquals(-700, plain.bucket(-700));
        assertEquals(512, plain.attentionSpan());
        assertEquals(0, plain.embeddingIndex(0, 900));
        assertEquals(1023, plain.embeddingIndex(900, 0));
    }

    @Test
    void rejectsParametersWhereTheLogIsUndefined() {
        assertThrows(IllegalArgumentException.class, () -> new DebertaBuckets(256, 129));
        assertThrows(IllegalArgumentException.class, () -> new DebertaBuckets(1, 512));
        assertThrows(IllegalArgumentException.class, () -> new DebertaBuckets(256, 0));
    }
}
