package dev.posenc.cli.explore;

import dev.posenc.logits.AlibiBias;
import dev.posenc.logits.AlibiForm;
import dev.posenc.logits.AlibiSlopes;
import dev.posenc.logits.AttentionPositions;
import dev.posenc.logits.DebertaBuckets;
import dev.posenc.logits.FireBias;
import dev.posenc.logits.KerpleBias;
import dev.posenc.logits.ShawDistance;
import dev.posenc.logits.T5Buckets;
import dev.posenc.logits.TransformerXlRelative;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code /api/bias}: relative biases as matrices over query × key (queries at rows {@code 0..size−1}, keys at
 * columns), computed by posenc-core's logits classes. {@code kind}:
 * <ul>
 *   <li>{@code alibi} (Press et al., arXiv:2108.12409): {@code heads}, {@code style} (paper, bloom, falcon, mpt),
 *       {@code bias_max} (mpt), {@code head}: the slopes of every head and {@code matrix[i][j] = −m_h (i − j)} for the
 *       chosen head, causal ({@code null} above the diagonal, where the mask is);</li>
 *   <li>{@code t5} (Raffel et al., arXiv:1910.10683): {@code buckets}, {@code max_distance}, {@code causal}: the
 *       bucket of {@code key − query} per cell, as HF's {@code _relative_position_bucket};</li>
 *   <li>{@code deberta} (He et al., arXiv:2006.03654): {@code buckets} ({@code position_buckets}),
 *       {@code max_relative_positions}: the log bucket of {@code query − key} per cell;</li>
 *   <li>{@code shaw} (Shaw et al., arXiv:1803.02155): {@code clip} (k): the clipped distance
 *       {@code clip(j − i, −k, k)} per cell, i.e. which learned relative vector the pair reads;</li>
 *   <li>{@code kerple} (Chi et al., arXiv:2205.09921): {@code kernel} (log or power), {@code r1}, {@code r2}: the
 *       bias {@code −r1 ln(1 + r2 |i − j|)} or {@code −r1 |i − j|^r2} per cell;</li>
 *   <li>{@code fire} (Li et al., arXiv:2310.04418): {@code heads}, {@code head}, {@code c}, {@code threshold}
 *       ({@code L}): {@link FireBias} at the initial parameters of the authors' reference implementation
 *       ({@code init_c = 0.1}, {@code init_L = 512}, {@code L_multiplier = 1}, {@code mlp_width = 32}, the MLP at
 *       PyTorch's {@code nn.Linear} initialisation, {@code U(−1/√fan_in, 1/√fan_in)}, drawn once from a fixed
 *       generator and sent as {@code mlp}); {@code normalized}, the MLP's input {@code ψ(i − j) / ψ(max(i, L))}, and
 *       {@code matrix}, the bias of the chosen head, causal ({@code null} above the diagonal);</li>
 *   <li>{@code transformer-xl} (Dai et al., arXiv:1901.02860, §3.3): {@code d_model}, {@code head_dim}: the two
 *       position terms of {@link TransformerXlRelative} for one head, {@code b[i][j] = q_i · W_R R_(i−j)}
 *       (content-dependent positional bias, for Gaussian queries {@code q_i ~ N(0, 1)}) and
 *       {@code d[i][j] = v · W_R R_(i−j)} (global positional bias), each computed by the class with the other
 *       inputs zero; {@code W_R} and {@code v} at XLNet's initialisation, {@code N(0, 0.02²)}, before the
 *       attention's {@code 1/√d}.</li>
 * </ul>
 * {@code size} (2 to {@value #MAX_SIZE}) is the number of queries and keys.
 */
final class BiasViews {
    static final int MAX_SIZE = 256;
    static final int MAX_HEADS = 128;
    /** FIRE's reference implementation: {@code init_c}, {@code init_L} (with {@code L_multiplier = 1}), width. */
    static final double FIRE_INIT_C = 0.1;
    static final double FIRE_INIT_L = 512;
    static final int FIRE_MLP_WIDTH = 32;
    /** XLNet's {@code initializer_range}: the standard deviation of {@code r_r_bias} (v) and {@code r} (W_R). */
    static final double XL_INIT_STD = 0.02;
    static final int MAX_MODEL_DIM = 256;
    /** The fixed generator of the initial weights (FIRE's MLP, Transformer-XL's W_R, v and queries). */
    static final long INIT_SEED = 20190109;

    private BiasViews() {}

    static Map<String, Object> answer(Query query) {
        String kind = query.choice("kind", "alibi", List.of("alibi", "t5", "deberta", "shaw", "kerple", "fire",
                "transformer-xl"));
        int size = (int) query.integer("size", 32, 2, MAX_SIZE);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", kind);
        out.put("size", size);
        switch (kind) {
            case "alibi" -> alibi(query, size, out);
            case "t5" -> {
                T5Buckets b = new T5Buckets((int) query.integer("buckets", 32, 2, 1024),
                        (int) query.integer("max_distance", T5Buckets.DEFAULT_MAX_DISTANCE, 1, 1 << 20),
                        !query.choice("causal", "false", List.of("true", "false")).equals("true"));
                out.put("buckets", b.numBuckets());
                out.put("max_distance", b.maxDistance());
                out.put("bidirectional", b.bidirectional());
                out.put("matrix", matrix(size, (i, j) -> b.bucket(i, j)));
            }
            case "deberta" -> {
                DebertaBuckets b = new DebertaBuckets((int) query.integer("buckets", 256, 0, 4096),
                        (int) query.integer("max_relative_positions", 512, 1, 1 << 20));
                out.put("buckets", b.positionBuckets());
                out.put("max_relative_positions", b.maxRelativePositions());
                out.put("matrix", matrix(size, (i, j) -> b.bucket(i, j)));
            }
            case "shaw" -> {
                int k = (int) query.integer("clip", 4, 1, MAX_SIZE);
                out.put("clip", k);
                out.put("matrix", matrix(size, (i, j) -> ShawDistance.index(i, j, k) - k));
            }
            case "kerple" -> {
                String kernel = query.choice("kernel", "log", List.of("log", "power"));
                double r1 = query.number("r1", 1, 1e-3, 100);
                double r2 = query.number("r2", kernel.equals("log") ? 1 : 0.5, 1e-3, kernel.equals("log") ? 100 : 2);
                KerpleBias bias = new KerpleBias(kernel.equals("log") ? KerpleBias.Kind.LOG : KerpleBias.Kind.POWER,
                        new double[] {r1}, new double[] {r2});
                out.put("kernel", kernel);
                out.put("r1", r1);
                out.put("r2", r2);
                double[][] m = new double[size][size];
                for (int i = 0; i < size; i++) {
                    for (int j = 0; j < size; j++) {
                        m[i][j] = bias.bias(0, i, j);
                    }
                }
                out.put("matrix", m);
            }
            case "fire" -> fire(query, size, out);
            case "transformer-xl" -> transformerXl(query, size, out);
            default -> throw new IllegalStateException(kind);
        }
        return out;
    }

    private static void alibi(Query query, int size, Map<String, Object> out) {
        int heads = (int) query.integer("heads", 8, 1, MAX_HEADS);
        String style = query.choice("style", "paper", List.of("paper", "bloom", "falcon", "mpt"));
        double biasMax = query.number("bias_max", AlibiSlopes.DEFAULT_ALIBI_BIAS_MAX, 1, 64);
        int head = (int) query.integer("head", 0, 0, heads - 1);
        double[] slopes = switch (style) {
            case "paper" -> AlibiSlopes.paper(heads);
            case "bloom" -> AlibiSlopes.bloom(heads);
            case "falcon" -> AlibiSlopes.falcon(heads);
            case "mpt" -> AlibiSlopes.mpt(heads, biasMax);
            default -> throw new IllegalStateException(style);
        };
        AlibiBias bias = new AlibiBias(slopes, AlibiForm.CAUSAL);
        out.put("heads", heads);
        out.put("style", style);
        out.put("head", head);
        out.put("slopes", slopes);
        Double[][] m = new Double[size][size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j <= i; j++) {
                m[i][j] = bias.bias(head, i, j);
            }
        }
        out.put("matrix", m);
    }

    /** The FIRE of {@code heads} heads at its initial MLP, with {@code c} and {@code L} as given. */
    static FireBias initialFire(int heads, double c, double threshold) {
        SplittableRandom rnd = new SplittableRandom(INIT_SEED);
        float[] hiddenWeight = uniform(rnd, FIRE_MLP_WIDTH, 1);
        float[] hiddenBias = uniform(rnd, FIRE_MLP_WIDTH, 1);
        float[] outputWeight = uniform(rnd, heads * FIRE_MLP_WIDTH, FIRE_MLP_WIDTH);
        float[] outputBias = uniform(rnd, heads, FIRE_MLP_WIDTH);
        return new FireBias(heads, hiddenWeight, hiddenBias, outputWeight, outputBias, c, threshold);
    }

    private static void fire(Query query, int size, Map<String, Object> out) {
        int heads = (int) query.integer("heads", 8, 1, MAX_HEADS);
        int head = (int) query.integer("head", 0, 0, heads - 1);
        double c = query.number("c", FIRE_INIT_C, 1e-3, 100);
        double threshold = query.number("threshold", FIRE_INIT_L, 0, 1 << 20);
        FireBias fire = initialFire(heads, c, threshold);
        out.put("heads", heads);
        out.put("head", head);
        out.put("c", c);
        out.put("threshold", threshold);
        out.put("init_c", FIRE_INIT_C);
        out.put("init_L", FIRE_INIT_L);
        out.put("mlp_width", FIRE_MLP_WIDTH);
        out.put("eps", FireBias.EPS);
        Map<String, Object> mlp = new LinkedHashMap<>();
        mlp.put("hidden_weight", fire.hiddenWeight());
        mlp.put("hidden_bias", fire.hiddenBias());
        mlp.put("output_weight", fire.outputWeight());
        mlp.put("output_bias", fire.outputBias());
        out.put("mlp", mlp);
        Double[][] x = new Double[size][size];
        Double[][] m = new Double[size][size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j <= i; j++) {
                x[i][j] = fire.normalizedDistance(i, j);
                m[i][j] = fire.bias(head, i, j);
            }
        }
        out.put("normalized", x);
        out.put("matrix", m);
    }

    private static void transformerXl(Query query, int size, Map<String, Object> out) {
        int dModel = query.evenInteger("d_model", 64, 2, MAX_MODEL_DIM);
        int headDim = (int) query.integer("head_dim", 16, 1, MAX_MODEL_DIM);
        SplittableRandom rnd = new SplittableRandom(INIT_SEED);
        float[] projection = gaussian(rnd, headDim * dModel, XL_INIT_STD);
        float[] v = gaussian(rnd, headDim, XL_INIT_STD);
        float[] queries = gaussian(rnd, size * headDim, 1);
        float[] zeros = new float[headDim];
        float[] noQueries = new float[size * headDim];
        float[] noKeys = new float[size * headDim];
        AttentionPositions positions = AttentionPositions.selfAttention(size);
        // (b): q_i · W_R R_(i−j), with u = v = 0 and k = 0; (d): v · W_R R_(i−j), with q = k = 0.
        double[] b = new double[size * size];
        new TransformerXlRelative(1, headDim, dModel, zeros, zeros, projection)
                .addToScores(0, queries, noKeys, positions, b);
        double[] d = new double[size * size];
        new TransformerXlRelative(1, headDim, dModel, zeros, v, projection)
                .addToScores(0, noQueries, noKeys, positions, d);
        out.put("d_model", dModel);
        out.put("head_dim", headDim);
        out.put("init_std", XL_INIT_STD);
        out.put("position_projection", projection);
        out.put("position_bias", v);
        out.put("queries", queries);
        out.put("b", square(b, size));
        out.put("d", square(d, size));
    }

    private static double[][] square(double[] flat, int size) {
        double[][] m = new double[size][size];
        for (int i = 0; i < size; i++) {
            System.arraycopy(flat, i * size, m[i], 0, size);
        }
        return m;
    }

    /** PyTorch's {@code nn.Linear} initialisation: {@code U(−1/√fanIn, 1/√fanIn)}. */
    private static float[] uniform(SplittableRandom rnd, int n, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextDouble(-bound, bound);
        }
        return x;
    }

    private static float[] gaussian(SplittableRandom rnd, int n, double std) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (std * rnd.nextGaussian());
        }
        return x;
    }

    @FunctionalInterface
    private interface Cell {
        int at(int query, int key);
    }

    private static int[][] matrix(int size, Cell cell) {
        int[][] m = new int[size][size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                m[i][j] = cell.at(i, j);
            }
        }
        return m;
    }
}
