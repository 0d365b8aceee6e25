package dev.posenc.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.input.AdditiveInput;
import dev.posenc.input.SinusoidalPositions;
import dev.posenc.logits.AlibiBias;
import dev.posenc.logits.ShawRelativeKeys;
import dev.posenc.logits.T5Buckets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AttentionEncodingsTest {
    private static final QueryKeyEncoding ROPE = EncodingFixtures.rope(4, dev.posenc.querykey.RopeLayout.HALF);

    private static void assertOneLine(IllegalArgumentException e, String... words) {
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), e.getMessage());
        }
    }

    @Test
    void rejectsTwoRelativeSchemesOnTheLogits() {
        ShawRelativeKeys shaw = new ShawRelativeKeys(2, 4, new float[20]);
        var e = assertThrows(IllegalArgumentException.class,
                () -> AttentionEncodings.ofLogitTerm(shaw).withBias(AlibiBias.causal(2)));
        assertOneLine(e, "ShawRelativeKeys", "AlibiBias", "use one");
    }

    @Test
    void rejectsContentRelativeTermsOnTopOfAQueryKeyEncoding() {
        ShawRelativeKeys shaw = new ShawRelativeKeys(2, 4, new float[20]);
        var e = assertThrows(IllegalArgumentException.class,
                () -> AttentionEncodings.ofQueryKey(ROPE).withLogitTerm(shaw));
        assertOneLine(e, "RotaryQueryKey", "ShawRelativeKeys", "twice");
        assertOneLine(assertThrows(IllegalArgumentException.class,
                () -> new StreamingAttention(AttentionSpec.of(2, 2, 8, true), AttentionEncodings.ofQueryKey(ROPE))),
                "head_dim 4", "8");
    }

    @Test
    void rejectsEncodingsThatDoNotFitTheMaskOrTheHeads() {
        AttentionSpec bidirectional = AttentionSpec.of(2, 2, 4, false);
        assertOneLine(assertThrows(IllegalArgumentException.class,
                () -> new StreamingAttention(bidirectional, AttentionEncodings.ofBias(AlibiBias.causal(2)))), "symmetric");
        var t5 = EncodingFixtures.t5(2, new T5Buckets(8, 20, false), new SplittableRandom(1));
        assertOneLine(assertThrows(IllegalArgumentException.class,
                () -> new ReferenceAttention(bidirectional, AttentionEncodings.ofBias(t5))), "bucket 0");
        assertOneLine(assertThrows(IllegalArgumentException.class,
                () -> new StreamingAttention(AttentionSpec.of(4, 4, 4, true), AttentionEncodings.ofBias(AlibiBias.causal(2)))),
                "2 heads", "4");
        assertOneLine(assertThrows(IllegalArgumentException.class, () -> new StreamingAttention(
                AttentionSpec.of(2, 2, 8, true), AttentionEncodings.ofLogitTerm(new ShawRelativeKeys(2, 4, new float[20])))),
                "head_dim");
        assertOneLine(assertThrows(IllegalArgumentException.class, () -> new StreamingAttention(AttentionSpec.of(2, 2, 8, true),
                AttentionEncodings.ofInput(new AdditiveInput(SinusoidalPositions.vaswani(8))))), "PositionalSelfAttention");
    }

    @Test
    void acceptsCombinationsThatMakeSense() {
        AttentionEncodings ropeAndAlibi = AttentionEncodings.ofQueryKey(ROPE).withBias(AlibiBias.causal(2))
                .withInput(new AdditiveInput(SinusoidalPositions.vaswani(8)));
        new StreamingAttention(AttentionSpec.of(2, 1, 4, true), ropeAndAlibi.withInput(null));
        assertTrue(AttentionEncodings.none().isNone());
    }

    @Test
    void rejectsHeadCountsThatDoNotGroup() {
        assertThrows(IllegalArgumentException.class, () -> AttentionSpec.of(6, 4, 8, true));
        assertThrows(IllegalArgumentException.class, () -> AttentionSpec.of(0, 1, 8, true));
    }
}
