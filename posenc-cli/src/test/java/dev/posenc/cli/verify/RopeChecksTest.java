package dev.posenc.cli.verify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RotaryFrequencies;
import org.junit.jupiter.api.Test;

/** Each RoPE check passes on a correct rotation and fails on a deliberately broken one. */
class RopeChecksTest {
    private static final long SEED = 20240601L;
    private static final RotaryFrequencies D64 = Textbook.frequencies(64, 10000, RopeLayout.HALF);
    private static final RotaryFrequencies D128 = Textbook.frequencies(128, 10000, RopeLayout.INTERLEAVED);

    /** Angle grows with the square of the position: still a rotation, no longer relative. */
    private static final RotarySubject SQUARED_POSITION = Textbook.kernel((m, inv) -> (double) m * m * inv);
    /** Scales the pair a little as it rotates: relative, not norm-preserving. */
    private static final RotarySubject STRETCHING = (f, x, m) -> {
        Textbook.ROPE.rotate(f, x, m);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 1.001f;
        }
    };
    /** Forgets the position: no rotation at all, so nothing decays. */
    private static final RotarySubject IDENTITY = (f, x, m) -> { };

    @Test
    void relative() {
        assertPasses(RopeChecks.relative(Textbook.ROPE, D64, SEED));
        assertFails(RopeChecks.relative(SQUARED_POSITION, D64, SEED));
    }

    @Test
    void norm() {
        assertPasses(RopeChecks.norm(Textbook.ROPE, D64, SEED));
        assertFails(RopeChecks.norm(STRETCHING, D64, SEED));
    }

    @Test
    void decayBound() {
        assertPasses(RopeChecks.decayBound(Textbook.ROPE, D128));
        assertFails(RopeChecks.decayBound(IDENTITY, D128));
        assertFails(RopeChecks.decayBound(Textbook.ROPE, Textbook.frequencies(128, 1e9, RopeLayout.HALF)));
    }

    @Test
    void decayRandom() {
        assertPasses(RopeChecks.decayRandom(Textbook.ROPE, D128, SEED));
        assertFails(RopeChecks.decayRandom(IDENTITY, D128, SEED));
    }

    @Test
    void baseRaisedRestoresDecay() {
        RotaryFrequencies trained = Textbook.frequencies(128, 500_000, RopeLayout.HALF);
        RotaryFrequencies raised = Textbook.frequencies(128, 8_000_000, RopeLayout.HALF);
        DecayingQueryKey pair = DecayingQueryKey.fit(Textbook.ROPE, trained, RopeChecks.LLAMA_TRAINING_LENGTH);
        assertPasses(RopeChecks.baseRisesPastTraining(Textbook.ROPE, pair, 500_000));
        assertPasses(RopeChecks.raisedBaseDecays(Textbook.ROPE, pair, raised, 8_000_000));
        // Not raising the base is no remedy: the "raised" check then sees the rise.
        assertFails(RopeChecks.raisedBaseDecays(Textbook.ROPE, pair, trained, 500_000));
        // A kernel that ignores positions has flat scores: nothing decays, nothing rises.
        DecayingQueryKey flat = DecayingQueryKey.fit(IDENTITY, trained, RopeChecks.LLAMA_TRAINING_LENGTH);
        assertFails(RopeChecks.baseRisesPastTraining(IDENTITY, flat, 500_000));
    }

    @Test
    void surveyTablesMatchTheSurvey() {
        RotaryFrequencies f = Textbook.frequencies(8, 10000, RopeLayout.INTERLEAVED);
        assertPasses(ArticleTables.stepsMatchSurvey(Textbook.ROPE, f));
        assertPasses(ArticleTables.normMatchesSurvey(Textbook.ROPE, f));
        assertPasses(ArticleTables.relativityMatchesSurvey(Textbook.ROPE, f));
        // The half layout pairs other coordinates, so the survey's interleaved printout is not reproduced.
        RotaryFrequencies half = Textbook.frequencies(8, 10000, RopeLayout.HALF);
        assertFails(ArticleTables.stepsMatchSurvey(Textbook.ROPE, half));
        assertFails(ArticleTables.normMatchesSurvey(STRETCHING, f));
        assertFails(ArticleTables.relativityMatchesSurvey(SQUARED_POSITION, f));
    }

    static void assertPasses(CheckResult r) {
        assertTrue(r.passed(), () -> "expected to pass: " + r);
    }

    static void assertFails(CheckResult r) {
        assertFalse(r.passed(), () -> "expected to fail: " + r);
    }
}
