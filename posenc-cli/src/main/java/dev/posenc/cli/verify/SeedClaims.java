package dev.posenc.cli.verify;

import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RotaryFrequencies;
import java.util.ArrayList;
import java.util.List;

/**
 * Every claim of the seeds that {@code posenc verify} checks, in the order the seeds make them, each measured on
 * a {@link Build}; and seed 003's two tables recomputed by it.
 */
public final class SeedClaims {
    /** Fixed so that a rerun measures the same figures. */
    static final long SEED = 0x5EED_2025L;
    /** RoFormer's figure and most of the seeds' examples: head size 128, base 10000. */
    static final int HEAD_DIM = 128;
    static final double ROPE_THETA = 10000;
    public static final double LLAMA_THETA = 500_000;
    public static final double RAISED_THETA = 8_000_000;
    static final int LEARNED_LENGTH = 512;
    static final int LEARNED_DIM = 16;

    private SeedClaims() {}

    public static List<CheckResult> check(Build build) {
        RotarySubject kernel = build.rotaryKernel();
        RotaryFrequencies rope = build.defaultFrequencies(HEAD_DIM, ROPE_THETA, RopeLayout.HALF);
        RotaryFrequencies seed003 = build.defaultFrequencies(SeedTables.HEAD_DIM, SeedTables.ROPE_THETA,
                RopeLayout.INTERLEAVED);
        RotaryFrequencies llama = build.defaultFrequencies(HEAD_DIM, LLAMA_THETA, RopeLayout.HALF);
        RotaryFrequencies raised = build.defaultFrequencies(HEAD_DIM, RAISED_THETA, RopeLayout.HALF);
        DecayingQueryKey pair = DecayingQueryKey.fit(kernel, llama, RopeChecks.LLAMA_TRAINING_LENGTH);
        List<CheckResult> results = new ArrayList<>();
        results.add(AttentionChecks.withoutPositions(build.attention(false, SEED), SEED));
        results.add(AttentionChecks.withPositions(build.attention(true, SEED), SEED));
        results.add(RopeChecks.relative(kernel, rope, SEED));
        results.add(RopeChecks.norm(kernel, rope, SEED));
        results.add(SeedTables.stepsMatchSeed(kernel, seed003));
        results.add(SeedTables.normMatchesSeed(kernel, seed003));
        results.add(SeedTables.relativityMatchesSeed(kernel, seed003));
        results.add(RopeChecks.decayBound(kernel, rope));
        results.add(RopeChecks.decayRandom(kernel, rope, SEED));
        results.add(AbsoluteChecks.sinusoidalLinear(build.sinusoidal(), SEED));
        results.add(AbsoluteChecks.shortestWavelength(build.sinusoidal()));
        results.add(AbsoluteChecks.longestWavelength(build.sinusoidal()));
        results.add(AbsoluteChecks.geometricWavelengths(build.sinusoidal()));
        results.add(RopeChecks.baseRisesPastTraining(kernel, pair, LLAMA_THETA));
        results.add(RopeChecks.raisedBaseDecays(kernel, pair, raised, RAISED_THETA));
        results.add(LogitChecks.t5Coarser(
                build.t5Buckets(LogitChecks.T5_NUM_BUCKETS, LogitChecks.T5_MAX_DISTANCE, true)));
        results.add(LogitChecks.alibiLinear(build.alibi(LogitChecks.ALIBI_HEADS), LogitChecks.ALIBI_HEADS));
        results.add(AbsoluteChecks.learnedBounded(build.learnedTable(LEARNED_LENGTH, LEARNED_DIM)));
        return results;
    }

    /** Seed 003's step-by-step computation and relativity table, recomputed by the build. */
    public static List<Table> tables(Build build) {
        RotaryFrequencies seed003 = build.defaultFrequencies(SeedTables.HEAD_DIM, SeedTables.ROPE_THETA,
                RopeLayout.INTERLEAVED);
        return List.of(SeedTables.steps(build.rotaryKernel(), seed003),
                SeedTables.relativity(build.rotaryKernel(), seed003));
    }
}
