package dev.posenc.cli.explore;

import dev.posenc.cli.ExampleConfigs;
import dev.posenc.cli.verify.Build;
import dev.posenc.cli.verify.DecayingQueryKey;
import dev.posenc.cli.verify.RopeChecks;
import dev.posenc.cli.verify.RotarySubject;
import dev.posenc.cli.verify.ArticleTables;
import dev.posenc.config.HfConfig;
import dev.posenc.config.RopeEncoding;
import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryFrequencies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RoPE endpoints: the clock ({@code /api/rope/clock}), long-range decay ({@code /api/rope/decay}) and context
 * extension ({@code /api/extension}). Every rotation is the build's RoPE kernel ({@link Build#rotaryKernel()}), every
 * frequency the build's {@code RopeSpec}; the metrics are the ones {@code verify} checks ({@link RopeChecks},
 * {@link DecayingQueryKey}). Thread-safe: the fitted query/key pairs are cached in a concurrent map.
 */
final class RopeViews {
    static final int MAX_HEAD_DIM = 512;
    static final long MAX_POSITION = 1L << 24;
    static final double MIN_BASE = 1e2;
    static final double MAX_BASE = 1e8;
    static final int MAX_DISTANCE = 1 << 17;
    /** Points per decay curve: enough for a smooth line 1000 pixels wide, few enough to answer a slider live. */
    static final int CURVE_POINTS = 400;
    static final int MAX_CURVES = 6;
    static final int MAX_TRAINING_LENGTH = 16_384;
    /** The largest position a dragged clock hand searches: every position is rotated, O(d) each. */
    static final long MAX_DRAG_POSITION = 1 << 16;
    /** The seed of the Gaussian draws (random q = k) and of the clock's vectors when d is not the article's 8. */
    static final long SEED = 20210420;

    private final Build build;
    private final RotarySubject kernel;
    private final Map<String, DecayingQueryKey> fits = new ConcurrentHashMap<>();

    RopeViews(Build build) {
        this.build = build;
        this.kernel = build.rotaryKernel();
    }

    /**
     * {@code d} (even, default 8), {@code base} (default 10000), {@code m}, {@code n} (query and key positions).
     * Interleaved pairs as in Su Jianlin's RoPE survey; for d = 8 its q and k (NumPy's {@code randn} with seed 42),
     * else Gaussian vectors. Per pair: {@code theta} (inv_freq), the angles {@code m θ}, {@code n θ} and
     * {@code (m − n) θ}, q and k before and after rotation, and the pair's share of the score; then the score
     * {@code <R_m q, R_n k>}, the same score computed as {@code <q, R_(n−m) k>} (relativity), and both norms of q.
     */
    Map<String, Object> clock(Query query) {
        int d = query.evenInteger("d", ArticleTables.HEAD_DIM, 2, MAX_HEAD_DIM);
        double base = query.number("base", ArticleTables.ROPE_THETA, MIN_BASE, MAX_BASE);
        long m = query.integer("m", 3, 0, MAX_POSITION);
        long n = query.integer("n", 0, 0, MAX_POSITION);
        RotaryFrequencies f = build.defaultFrequencies(d, base, RopeLayout.INTERLEAVED);
        boolean article = d == ArticleTables.HEAD_DIM;
        float[][] qk = clockVectors(d);
        float[] q = qk[0];
        float[] k = qk[1];
        float[] qm = kernel.rotated(f, q, m);
        float[] kn = kernel.rotated(f, k, n);
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (int i = 0; i < f.pairs(); i++) {
            int a = f.layout().firstColumn(i, f.rotaryDim());
            int b = f.layout().secondColumn(i, f.rotaryDim());
            float theta = f.invFreq(i);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("pair", i);
            row.put("theta", theta);
            row.put("angle_m", m * (double) theta);
            row.put("angle_n", n * (double) theta);
            row.put("angle_diff", (m - n) * (double) theta);
            row.put("q", new float[] {q[a], q[b]});
            row.put("k", new float[] {k[a], k[b]});
            row.put("q_rotated", new float[] {qm[a], qm[b]});
            row.put("k_rotated", new float[] {kn[a], kn[b]});
            row.put("score_part", (double) qm[a] * kn[a] + (double) qm[b] * kn[b]);
            pairs.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("d", d);
        out.put("base", base);
        out.put("m", m);
        out.put("n", n);
        out.put("layout", RopeLayout.INTERLEAVED.id());
        out.put("vectors", article ? "survey" : "gaussian");
        out.put("pairs", pairs);
        out.put("score", dot(qm, kn));
        out.put("score_relative", n >= m ? dot(kernel.rotated(f, q, 0), kernel.rotated(f, k, n - m))
                : dot(kernel.rotated(f, q, m - n), kernel.rotated(f, k, 0)));
        out.put("norm_q", Math.sqrt(dot(q, q)));
        out.put("norm_q_rotated", Math.sqrt(dot(qm, qm)));
        return out;
    }

    /** The clock's q and k: the survey's for d = 8, else Gaussian vectors from {@link #SEED}. */
    private static float[][] clockVectors(int d) {
        if (d == ArticleTables.HEAD_DIM) {
            return new float[][] {ArticleTables.surveyQuery(), ArticleTables.surveyKey()};
        }
        SplittableRandom rnd = new SplittableRandom(SEED + d);
        float[] q = gaussian(rnd, d);
        float[] k = gaussian(rnd, d);
        return new float[][] {q, k};
    }

    /**
     * Dragging a clock hand: {@code d}, {@code base} as for the clock, {@code pair}, {@code hand} ({@code q} or
     * {@code k}), {@code x}, {@code y} (where the pointer is relative to the dial's centre, y up; any scale) and
     * {@code max} (the largest position, default 1000): the position {@code p} in {@code [0, max]} at which that
     * pair of the rotated vector ({@code R_p q} or {@code R_p k}, the build's kernel) points nearest to the angle
     * {@code atan2(y, x)}; the smallest such position on a tie. Answers {@code position}, {@code target_angle},
     * {@code angle} (the hand's angle at that position) and {@code difference} (their wrapped difference, in
     * {@code [0, π]}).
     */
    Map<String, Object> nearest(Query query) {
        int d = query.evenInteger("d", ArticleTables.HEAD_DIM, 2, MAX_HEAD_DIM);
        double base = query.number("base", ArticleTables.ROPE_THETA, MIN_BASE, MAX_BASE);
        int pair = (int) query.integer("pair", 0, 0, d / 2 - 1);
        String hand = query.choice("hand", "q", List.of("q", "k"));
        double x = query.number("x", 1, -1e6, 1e6);
        double y = query.number("y", 0, -1e6, 1e6);
        if (x == 0 && y == 0) {
            throw new IllegalArgumentException("x, y: expected a point away from the dial's centre, got 0, 0");
        }
        long max = query.integer("max", 1000, 0, MAX_DRAG_POSITION);
        RotaryFrequencies f = build.defaultFrequencies(d, base, RopeLayout.INTERLEAVED);
        float[] v = clockVectors(d)[hand.equals("q") ? 0 : 1];
        int a = f.layout().firstColumn(pair, f.rotaryDim());
        int b = f.layout().secondColumn(pair, f.rotaryDim());
        double target = Math.atan2(y, x);
        long best = 0;
        double bestDifference = Double.POSITIVE_INFINITY;
        double bestAngle = 0;
        for (long p = 0; p <= max; p++) {
            float[] r = kernel.rotated(f, v, p);
            double angle = Math.atan2(r[b], r[a]);
            double difference = Math.abs(Math.IEEEremainder(angle - target, 2 * Math.PI));
            if (difference < bestDifference) {
                best = p;
                bestDifference = difference;
                bestAngle = angle;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hand", hand);
        out.put("pair", pair);
        out.put("position", best);
        out.put("target_angle", target);
        out.put("angle", bestAngle);
        out.put("difference", bestDifference);
        return out;
    }

    /**
     * {@code d} (default 128), {@code bases} (comma-separated, default 500000,8000000), {@code max} (largest
     * distance, default 131072), {@code scale} ({@code log} or {@code linear}: how the distances are spaced),
     * {@code train} (the fitted pair's training length, default 8192). Per base, three curves over the distances:
     * {@code bound}, RoFormer's relative upper bound {@code (1/(d/2)) Σ_j |S_j|} (section 3.4.3);
     * {@code random}, the mean of {@code <R_m q, R_0 q> / |q|²} over 64 Gaussian q; {@code fitted},
     * {@code <R_m q, R_0 k>} of a query fitted under the first base to decay as {@code 1 / (1 + m/1000)} within the
     * training length, scored unchanged under each base (Su Jianlin's post on Llama 3.1's base 500000 vs raising it).
     * {@code first_zero}: per curve, the first distance where it is {@code ≤ 0} ({@code null}: none up to
     * {@code max}), the first sign change on the grid refined to the integer by bisection.
     */
    Map<String, Object> decay(Query query) {
        int d = query.evenInteger("d", 128, 2, MAX_HEAD_DIM);
        double[] bases = query.numbers("bases", new double[] {500_000, 8_000_000}, MIN_BASE, MAX_BASE, MAX_CURVES);
        int max = (int) query.integer("max", MAX_DISTANCE, 16, MAX_DISTANCE);
        String scale = query.choice("scale", "log", List.of("log", "linear"));
        int train = (int) query.integer("train", 8192, 64, MAX_TRAINING_LENGTH);
        long[] distances = scale.equals("log") ? logDistances(max) : linearDistances(max);
        RotaryFrequencies first = build.defaultFrequencies(d, bases[0], RopeLayout.HALF);
        DecayingQueryKey pair = fits.computeIfAbsent(d + "/" + bases[0] + "/" + train,
                key -> DecayingQueryKey.fit(kernel, first, train));
        List<Map<String, Object>> curves = new ArrayList<>();
        for (double base : bases) {
            RotaryFrequencies f = build.defaultFrequencies(d, base, RopeLayout.HALF);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("base", base);
            Metric bound = at -> RopeChecks.roformerBound(kernel, f, at);
            Metric random = at -> RopeChecks.randomSelfScores(kernel, f, at, SEED);
            Metric fitted = at -> fittedScores(pair, f, at);
            Map<String, Metric> metrics = new LinkedHashMap<>();
            metrics.put("bound", bound);
            metrics.put("random", random);
            metrics.put("fitted", fitted);
            Map<String, Object> zeros = new LinkedHashMap<>();
            for (var e : metrics.entrySet()) {
                double[] y = e.getValue().at(distances);
                c.put(e.getKey(), y);
                zeros.put(e.getKey(), firstZero(e.getValue(), distances, y));
            }
            c.put("first_zero", zeros);
            curves.add(c);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("d", d);
        out.put("scale", scale);
        out.put("train", train);
        out.put("fitted_base", bases[0]);
        out.put("distances", distances);
        out.put("curves", curves);
        return out;
    }

    /**
     * {@code d} (default 128), {@code base} (default 10000), {@code context} (the training length, default 4096),
     * {@code factor} (default 4), {@code seq_len} (the pass length for dynamic NTK and LongRoPE, default context ×
     * factor), {@code longrope} (a bundled LongRoPE config, default {@value #LONGROPE_DEFAULT}, or {@code none}): per
     * method of {@link Build#scalingMethods} (PI, NTK-aware, dynamic NTK, YaRN, Llama 3), its {@code inv_freq}, the
     * ratio to the unscaled one per pair (1 kept, 1/factor interpolated), its {@code attention_scaling}, and the
     * score of a pair fitted within the context under the unscaled frequencies, out to 4 × the context.
     *
     * <p>LongRoPE (Ding et al. 2024, arXiv:2402.13753) has no rule from a factor to frequencies: its per-pair
     * rescale factors were searched for one model. It is added as a method with that config's
     * {@code short_factor} (passes up to {@code context}) and {@code long_factor} (longer passes) when they have
     * {@code d/2} entries, at this view's base, context and factor (the factor enters its
     * {@code attention_scaling} only); {@code "longrope"} says which config, for which geometry its factors were
     * searched, which list this {@code seq_len} uses, and, when not added, why.
     */
    Map<String, Object> extension(Query query) {
        int d = query.evenInteger("d", 128, 2, MAX_HEAD_DIM);
        double base = query.number("base", 10_000, MIN_BASE, MAX_BASE);
        int context = (int) query.integer("context", 4096, 64, MAX_TRAINING_LENGTH);
        double factor = query.number("factor", 4, 1, 64);
        int seqLen = (int) query.integer("seq_len", Math.round(context * factor), 1, MAX_POSITION);
        RotaryFrequencies unscaled = build.defaultFrequencies(d, base, RopeLayout.HALF);
        DecayingQueryKey pair = fits.computeIfAbsent(d + "/" + base + "/" + context,
                key -> DecayingQueryKey.fit(kernel, unscaled, context));
        long[] distances = linearDistances(4L * context);
        List<Map<String, Object>> methods = new ArrayList<>();
        methods.add(method("unscaled", unscaled, unscaled, pair, distances));
        for (Build.Labeled<RotaryFrequencies> m : build.scalingMethods(d, base, context, factor, seqLen)) {
            methods.add(method(m.label(), m.value(), unscaled, pair, distances));
        }
        List<String> choices = new ArrayList<>(LongRopeConfig.BUNDLED.keySet());
        choices.add("none");
        String longropeName = query.choice("longrope", LONGROPE_DEFAULT, choices);
        Map<String, Object> longrope = new LinkedHashMap<>();
        longrope.put("config", longropeName);
        LongRopeConfig config = LongRopeConfig.BUNDLED.get(longropeName);
        if (config != null) {
            longrope.putAll(config.describe());
            boolean usesLong = seqLen > context;
            longrope.put("factors_used", usesLong ? "long_factor" : "short_factor");
            if (config.pairs() == d / 2) {
                RopeScaling.LongRope s = new RopeScaling.LongRope(config.scaling().shortFactor(),
                        config.scaling().longFactor(), context, factor, config.scaling().attentionFactor());
                RotaryFrequencies f = new RopeSpec(d, d, RopeLayout.HALF, base, (int) Math.round(context * factor), s)
                        .frequencies(seqLen);
                methods.add(method("LongRoPE (" + longropeName + ", " + (usesLong ? "long" : "short")
                        + "_factor)", f, unscaled, pair, distances));
                longrope.put("added", true);
            } else {
                longrope.put("added", false);
                longrope.put("reason", longropeName + " has " + config.pairs() + " factors per list (head_dim "
                        + config.pairs() * 2 + "); d = " + d + " needs " + d / 2 + ": choose d = " + config.pairs() * 2);
            }
        } else {
            longrope.put("added", false);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("d", d);
        out.put("base", base);
        out.put("context", context);
        out.put("factor", factor);
        out.put("seq_len", seqLen);
        out.put("distances", distances);
        out.put("methods", methods);
        out.put("longrope", longrope);
        return out;
    }

    static final String LONGROPE_DEFAULT = "phi-3.5-mini-instruct.json";

    /** A bundled config whose rope_type is LongRoPE: its factors and the geometry they were searched for. */
    record LongRopeConfig(String name, RopeSpec spec, RopeScaling.LongRope scaling) {
        /** Every bundled LongRoPE config, in the bundle's order. */
        static final Map<String, LongRopeConfig> BUNDLED = bundled();

        int pairs() {
            return scaling.shortFactor().length;
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("head_dim", spec.headDim());
            m.put("rotary_dim", spec.rotaryDim());
            m.put("rope_theta", spec.ropeTheta());
            m.put("original_context", scaling.originalMaxPositionEmbeddings());
            m.put("extended_context", spec.maxPositionEmbeddings());
            m.put("factor", scaling.factor());
            m.put("short_factor", scaling.shortFactor());
            m.put("long_factor", scaling.longFactor());
            return m;
        }

        private static Map<String, LongRopeConfig> bundled() {
            Map<String, LongRopeConfig> out = new LinkedHashMap<>();
            for (String name : ExampleConfigs.names()) {
                if (HfConfig.load(ExampleConfigs.path(name)).encoding() instanceof RopeEncoding rope
                        && rope.spec().scaling() instanceof RopeScaling.LongRope l) {
                    out.put(name, new LongRopeConfig(name, rope.spec(), l));
                }
            }
            return java.util.Collections.unmodifiableMap(out);
        }
    }

    private Map<String, Object> method(String label, RotaryFrequencies f, RotaryFrequencies unscaled,
                                       DecayingQueryKey pair, long[] distances) {
        double[] ratio = new double[f.pairs()];
        for (int i = 0; i < ratio.length; i++) {
            ratio[i] = (double) f.invFreq(i) / unscaled.invFreq(i);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("inv_freq", f.invFreq());
        m.put("ratio", ratio);
        m.put("attention_scaling", f.attentionScaling());
        m.put("score", fittedScores(pair, f, distances));
        return m;
    }

    @FunctionalInterface
    private interface Metric {
        double[] at(long[] distances);
    }

    private double[] fittedScores(DecayingQueryKey pair, RotaryFrequencies f, long[] distances) {
        float[] k0 = kernel.rotated(f, pair.key(), 0);
        double[] s = new double[distances.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = dot(kernel.rotated(f, pair.query(), distances[i]), k0);
        }
        return s;
    }

    private static Long firstZero(Metric metric, long[] distances, double[] y) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] <= 0) {
                if (i == 0) {
                    return distances[0];
                }
                long lo = distances[i - 1];
                long hi = distances[i];
                while (hi - lo > 1) {
                    long mid = lo + (hi - lo) / 2;
                    if (metric.at(new long[] {mid})[0] <= 0) {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                return hi;
            }
        }
        return null;
    }

    /** 0 and about {@value #CURVE_POINTS} integers spaced evenly in log from 1 to {@code max}. */
    static long[] logDistances(long max) {
        TreeSet<Long> set = new TreeSet<>();
        set.add(0L);
        for (int i = 0; i < CURVE_POINTS; i++) {
            set.add(Math.round(Math.pow(max, i / (CURVE_POINTS - 1.0))));
        }
        return set.stream().mapToLong(Long::longValue).toArray();
    }

    /** {@value #CURVE_POINTS} + 1 integers spaced evenly from 0 to {@code max}. */
    static long[] linearDistances(long max) {
        TreeSet<Long> set = new TreeSet<>();
        for (int i = 0; i <= CURVE_POINTS; i++) {
            set.add(Math.round((double) max * i / CURVE_POINTS));
        }
        return set.stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] gaussian(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
