package dev.posenc.cli.explore;

import dev.posenc.logits.AlibiBias;
import dev.posenc.logits.AlibiForm;
import dev.posenc.logits.AlibiSlopes;
import dev.posenc.logits.DebertaBuckets;
import dev.posenc.logits.KerpleBias;
import dev.posenc.logits.ShawDistance;
import dev.posenc.logits.T5Buckets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 *       bias {@code −r1 ln(1 + r2 |i − j|)} or {@code −r1 |i − j|^r2} per cell.</li>
 * </ul>
 * {@code size} (2 to {@value #MAX_SIZE}) is the number of queries and keys.
 */
final class BiasViews {
    static final int MAX_SIZE = 256;
    static final int MAX_HEADS = 128;

    private BiasViews() {}

    static Map<String, Object> answer(Query query) {
        String kind = query.choice("kind", "alibi", List.of("alibi", "t5", "deberta", "shaw", "kerple"));
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
