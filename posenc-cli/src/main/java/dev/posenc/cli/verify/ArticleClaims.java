package dev.posenc.cli.verify;

import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RotaryFrequencies;
import java.util.ArrayList;
import java.util.List;

/**
 * Every claim of the articles on positional encodings that {@code posenc verify} checks, in the order the
 * articles make them, each measured on a {@link Build}; and the survey's two RoPE tables recomputed by it.
 */
public final class ArticleClaims {
    /**
     * The articles whose claims are checked, as the report lists them (all in Chinese; their sources cited: Su
     * Jianlin's kexue.fm posts and the RoFormer paper).
     */
    public static final List<String> ARTICLES = List.of(
            "\"ROPE位置编码\" (RoPE position encoding, a blog post of 2025-06-24): why attention needs positions,"
                    + " with a demo that shuffles tokens; it points to Su Jianlin's blog (kexue.fm) for the derivation",
            "\"旋转位置编码 (RoPE)\" (rotary position embedding, notes of 2025-07-26): RoPE as a clock, long-range"
                    + " decay, EleutherAI's perplexity and overhead figures, RoPE in linear attention",
            "\"Positional Encoding\" (2025-06-23), after Christopher Fleetwood's \"You could have designed state of"
                    + " the art positional encoding\" (fleetwood.dev, also on the Hugging Face blog): from integer"
                    + " and binary codes to sinusoids to rotation",
            "\"位置编码 (Position Encoding)\" (a survey of 2025-09-09): the three injection points, sinusoidal,"
                    + " learned, Shaw, XLNet, T5, DeBERTa, ALiBi, and RoPE computed step by step with its norm check"
                    + " and relativity table",
            "notes on absolute and relative position encodings after Su Jianlin's \"让研究人员绞尽脑汁的Transformer"
                    + "位置编码\" (kexue.fm/archives/8130) and \"Transformer升级之路：2、博采众长的旋转式位置编码\""
                    + " (kexue.fm/archives/8265, RoFormer, arXiv:2104.09864): T5's buckets, the CNN padding leak,"
                    + " and Llama 3.1's base 500000 vs 8000000 past 8k");

    /** Fixed so that a rerun measures the same figures. */
    static final long SEED = 0x5EED_2025L;
    /** RoFormer's figure and most of the articles' examples: head size 128, base 10000. */
    static final int HEAD_DIM = 128;
    static final double ROPE_THETA = 10000;
    public static final double LLAMA_THETA = 500_000;
    public static final double RAISED_THETA = 8_000_000;
    static final int LEARNED_LENGTH = 512;
    static final int LEARNED_DIM = 16;

    private ArticleClaims() {}

    public static List<CheckResult> check(Build build) {
        RotarySubject kernel = build.rotaryKernel();
        RotaryFrequencies rope = build.defaultFrequencies(HEAD_DIM, ROPE_THETA, RopeLayout.HALF);
        RotaryFrequencies survey = build.defaultFrequencies(ArticleTables.HEAD_DIM, ArticleTables.ROPE_THETA,
                RopeLayout.INTERLEAVED);
        RotaryFrequencies llama = build.defaultFrequencies(HEAD_DIM, LLAMA_THETA, RopeLayout.HALF);
        RotaryFrequencies raised = build.defaultFrequencies(HEAD_DIM, RAISED_THETA, RopeLayout.HALF);
        DecayingQueryKey pair = DecayingQueryKey.fit(kernel, llama, RopeChecks.LLAMA_TRAINING_LENGTH);
        List<CheckResult> results = new ArrayList<>();
        results.add(AttentionChecks.withoutPositions(build.attention(false, SEED), SEED));
        results.add(AttentionChecks.withPositions(build.attention(true, SEED), SEED));
        results.add(RopeChecks.relative(kernel, rope, SEED));
        results.add(RopeChecks.norm(kernel, rope, SEED));
        results.add(ArticleTables.stepsMatchSurvey(kernel, survey));
        results.add(ArticleTables.normMatchesSurvey(kernel, survey));
        results.add(ArticleTables.relativityMatchesSurvey(kernel, survey));
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

    /** The survey's step-by-step computation and relativity table, recomputed by the build. */
    public static List<Table> tables(Build build) {
        RotaryFrequencies survey = build.defaultFrequencies(ArticleTables.HEAD_DIM, ArticleTables.ROPE_THETA,
                RopeLayout.INTERLEAVED);
        return List.of(ArticleTables.steps(build.rotaryKernel(), survey),
                ArticleTables.relativity(build.rotaryKernel(), survey));
    }
}
