package dev.posenc.cli.explore;

import dev.posenc.attention.AttentionEncodings;
import dev.posenc.attention.AttentionSpec;
import dev.posenc.attention.PositionalSelfAttention;
import dev.posenc.attention.RotaryQueryKey;
import dev.posenc.input.AdditiveInput;
import dev.posenc.input.LearnedPositions;
import dev.posenc.input.SinusoidalPositions;
import dev.posenc.logits.AlibiBias;
import dev.posenc.logits.T5Buckets;
import dev.posenc.logits.T5RelativeBias;
import dev.posenc.querykey.CosSinOnTheFly;
import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryEmbedding;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code /api/shuffle}: the demonstration (from Su Jianlin's posts on positional encodings) that attention alone
 * cannot tell the order of its tokens. The tokens ({@code tokens}, comma-separated words, default 我,爱,你) are
 * placed in the order {@code order} (a permutation: position {@code t} holds token {@code order[t]}) and passed
 * through one bidirectional {@code PositionalSelfAttention} layer ({@value #HEADS} heads of {@value #HEAD_DIM},
 * reference kernel, fixed random projections) twice: with no encoding and with {@code encoding} ({@code none},
 * {@code sinusoidal}, {@code learned}, {@code rope}, {@code alibi}, {@code t5}).
 *
 * <p>For each, {@code outputs[t]} is the output at position t of the shuffled sequence, {@code unshuffled[i]} the
 * output of token i in its original order, and {@code max_abs_difference} = {@code max |outputs[t] −
 * unshuffled[order[t]]|} (with {@code max_ulps} in float32 ulps): zero up to rounding when the layer is
 * permutation-equivariant (each token's output moves with it), clearly not zero when positions are encoded.
 * A token's embedding depends only on its word, so the same word always gets the same vector.
 */
final class ShuffleDemo {
    static final int HEADS = 2;
    static final int HEAD_DIM = 8;
    static final int HIDDEN = HEADS * HEAD_DIM;
    static final int MAX_TOKENS = 8;
    static final int MAX_WORD_LENGTH = 24;
    static final List<String> ENCODINGS = List.of("none", "sinusoidal", "learned", "rope", "alibi", "t5");
    private static final long SEED = 20240301;

    private final float[][] projections = new float[3][HIDDEN * HIDDEN];

    ShuffleDemo() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (float[] w : projections) {
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (rnd.nextGaussian() / Math.sqrt(HIDDEN));
            }
        }
    }

    Map<String, Object> answer(Query query) {
        List<String> tokens = Arrays.stream(query.string("tokens", "我,爱,你").split(",", -1)).map(String::strip)
                .toList();
        if (tokens.size() < 2 || tokens.size() > MAX_TOKENS
                || tokens.stream().anyMatch(t -> t.isEmpty() || t.length() > MAX_WORD_LENGTH)) {
            throw new IllegalArgumentException("tokens: expected 2 to " + MAX_TOKENS + " comma-separated words of 1 to "
                    + MAX_WORD_LENGTH + " characters, got \"" + query.string("tokens", "") + "\"");
        }
        int[] order = query.permutation("order", tokens.size());
        String encoding = query.choice("encoding", "rope", ENCODINGS);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tokens", tokens);
        out.put("order", order);
        out.put("shuffled", Arrays.stream(order).mapToObj(tokens::get).toList());
        out.put("none", run("none", tokens, order));
        out.put("encoded", run(encoding, tokens, order));
        return out;
    }

    private Map<String, Object> run(String encoding, List<String> tokens, int[] order) {
        PositionalSelfAttention layer = layer(encoding, tokens.size());
        int n = tokens.size();
        float[][] unshuffled = forward(layer, tokens, identity(n));
        float[][] outputs = forward(layer, tokens, order);
        double maxAbs = 0;
        long maxUlps = 0;
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < HIDDEN; c++) {
                float a = outputs[t][c];
                float b = unshuffled[order[t]][c];
                maxAbs = Math.max(maxAbs, Math.abs((double) a - b));
                maxUlps = Math.max(maxUlps, ulps(a, b));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("encoding", encoding);
        out.put("outputs", outputs);
        out.put("unshuffled", unshuffled);
        out.put("max_abs_difference", maxAbs);
        out.put("max_ulps", maxUlps);
        return out;
    }

    private float[][] forward(PositionalSelfAttention layer, List<String> tokens, int[] order) {
        int n = order.length;
        float[] hidden = new float[n * HIDDEN];
        for (int t = 0; t < n; t++) {
            System.arraycopy(embedding(tokens.get(order[t])), 0, hidden, t * HIDDEN, HIDDEN);
        }
        float[] flat = layer.forward(hidden, n);
        float[][] rows = new float[n][];
        for (int t = 0; t < n; t++) {
            rows[t] = Arrays.copyOfRange(flat, t * HIDDEN, (t + 1) * HIDDEN);
        }
        return rows;
    }

    private PositionalSelfAttention layer(String encoding, int tokens) {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        AttentionEncodings e = switch (encoding) {
            case "none" -> AttentionEncodings.none();
            case "sinusoidal" -> AttentionEncodings.ofInput(new AdditiveInput(SinusoidalPositions.vaswani(HIDDEN)));
            case "learned" -> AttentionEncodings.ofInput(new AdditiveInput(
                    new LearnedPositions(MAX_TOKENS, HIDDEN, gaussian(rnd, MAX_TOKENS * HIDDEN))));
            case "rope" -> AttentionEncodings.ofQueryKey(new RotaryQueryKey(RotaryEmbedding.of(CosSinOnTheFly.of(
                    new RopeSpec(HEAD_DIM, HEAD_DIM, RopeLayout.HALF, 10_000, MAX_TOKENS, new RopeScaling.Default())
                            .frequencies()))));
            case "alibi" -> AttentionEncodings.ofBias(AlibiBias.symmetric(HEADS));
            case "t5" -> AttentionEncodings.ofBias(new T5RelativeBias(
                    new T5Buckets(32, T5Buckets.DEFAULT_MAX_DISTANCE, true), HEADS, gaussian(rnd, 32 * HEADS)));
            default -> throw new IllegalArgumentException("encoding: " + encoding);
        };
        return new PositionalSelfAttention(AttentionSpec.of(HEADS, HEADS, HEAD_DIM, false), e, HIDDEN,
                projections[0], projections[1], projections[2], PositionalSelfAttention.Kernel.REFERENCE);
    }

    /** The word's vector: Gaussian, seeded by the word alone. */
    private static float[] embedding(String word) {
        return gaussian(new SplittableRandom(SEED ^ word.hashCode()), HIDDEN);
    }

    private static float[] gaussian(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        return order;
    }

    /** The distance between two floats in units in the last place (0 for equal values, +0 and −0 included). */
    static long ulps(float a, float b) {
        long ia = Float.floatToIntBits(a);
        long ib = Float.floatToIntBits(b);
        ia = ia < 0 ? Integer.MIN_VALUE - ia : ia;
        ib = ib < 0 ? Integer.MIN_VALUE - ib : ib;
        return Math.abs(ia - ib);
    }
}
