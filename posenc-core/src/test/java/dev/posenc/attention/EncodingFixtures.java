package dev.posenc.attention;

import dev.posenc.logits.AlibiBias;
import dev.posenc.logits.AlibiForm;
import dev.posenc.logits.AlibiSlopes;
import dev.posenc.logits.DebertaBuckets;
import dev.posenc.logits.DebertaRelative;
import dev.posenc.logits.FireBias;
import dev.posenc.logits.KerpleBias;
import dev.posenc.logits.ShawRelativeKeys;
import dev.posenc.logits.ShawRelativeValues;
import dev.posenc.logits.T5Buckets;
import dev.posenc.logits.T5RelativeBias;
import dev.posenc.logits.TransformerXlRelative;
import dev.posenc.querykey.CosSinCache;
import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryEmbedding;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Every logit and value encoding with random parameters, for a given attention geometry. */
final class EncodingFixtures {
    private EncodingFixtures() {}

    record Named(String name, AttentionEncodings encodings, double softmaxScale) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** All logit/value encodings that fit an attention of this geometry (NoPE included). */
    static List<Named> all(int heads, int headDim, boolean causal, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double scale = 1 / Math.sqrt(headDim);
        List<Named> list = new ArrayList<>();
        list.add(new Named("nope", AttentionEncodings.none(), scale));
        list.add(new Named("alibi-symmetric", AttentionEncodings.ofBias(AlibiBias.symmetric(heads)), scale));
        if (causal) {
            list.add(new Named("alibi-causal", AttentionEncodings.ofBias(AlibiBias.causal(heads)), scale));
            list.add(new Named("alibi-bloom", AttentionEncodings.ofBias(
                    new AlibiBias(AlibiSlopes.bloom(heads), AlibiForm.KEY_POSITION)), scale));
        }
        list.add(new Named("t5", AttentionEncodings.ofBias(t5(heads, new T5Buckets(16, 40, !causal), random)), 1.0));
        list.add(new Named("kerple-log", AttentionEncodings.ofBias(kerple(KerpleBias.Kind.LOG, heads, random)), scale));
        list.add(new Named("kerple-power", AttentionEncodings.ofBias(kerple(KerpleBias.Kind.POWER, heads, random)), scale));
        list.add(new Named("fire", AttentionEncodings.ofBias(fire(heads, random)), scale));
        int k = 5;
        list.add(new Named("shaw", AttentionEncodings.ofLogitTerm(new ShawRelativeKeys(k, headDim, gaussian(random, (2 * k + 1) * headDim)))
                .withValues(new ShawRelativeValues(k, headDim, gaussian(random, (2 * k + 1) * headDim))), scale));
        list.add(new Named("transformer-xl", AttentionEncodings.ofLogitTerm(new TransformerXlRelative(heads, headDim, 12,
                gaussian(random, heads * headDim), gaussian(random, heads * headDim),
                gaussian(random, heads * headDim * 12))), scale));
        list.add(new Named("rope", AttentionEncodings.ofQueryKey(rope(headDim, RopeLayout.HALF)), scale));
        list.add(new Named("rope-interleaved+alibi", AttentionEncodings.ofQueryKey(rope(headDim, RopeLayout.INTERLEAVED))
                .withBias(causal ? AlibiBias.causal(heads) : AlibiBias.symmetric(heads)), scale));
        DebertaBuckets buckets = new DebertaBuckets(16, 40);
        int rows = 2 * buckets.attentionSpan() * heads * headDim;
        DebertaRelative deberta = new DebertaRelative(buckets, heads, headDim, gaussian(random, rows), gaussian(random, rows));
        list.add(new Named("deberta", AttentionEncodings.ofLogitTerm(deberta), deberta.softmaxScale()));
        return list;
    }

    /** RoPE with base 10000 over the whole head, exact cos/sin for positions [0, 4096). */
    static RotaryQueryKey rope(int headDim, RopeLayout layout) {
        RopeSpec spec = new RopeSpec(headDim, headDim, layout, 10000, 4096, new RopeScaling.Default());
        return new RotaryQueryKey(RotaryEmbedding.of(CosSinCache.of(spec.frequencies(), 0, 4096)));
    }

    static T5RelativeBias t5(int heads, T5Buckets buckets, SplittableRandom random) {
        return new T5RelativeBias(buckets, heads, gaussian(random, buckets.numBuckets() * heads));
    }

    static KerpleBias kerple(KerpleBias.Kind kind, int heads, SplittableRandom random) {
        double[] r1 = new double[heads];
        double[] r2 = new double[heads];
        for (int h = 0; h < heads; h++) {
            r1[h] = random.nextDouble(0.01, 2);
            r2[h] = random.nextDouble(0.01, 1);
        }
        return new KerpleBias(kind, r1, r2);
    }

    static FireBias fire(int heads, SplittableRandom random) {
        int width = 8;
        return new FireBias(heads, gaussian(random, width), gaussian(random, width), gaussian(random, heads * width),
                gaussian(random, heads), 0.1, 16);
    }

    static float[] gaussian(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) nextGaussian(random);
        }
        return out;
    }

    private static double nextGaussian(SplittableRandom random) {
        double u = random.nextDouble(1e-12, 1);
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
