package dev.posenc.attention;

import dev.posenc.logits.AlibiBias;
import java.util.SplittableRandom;

/**
 * Run in a fresh JVM by {@link AttentionKernelSelectionTest}: prints whether the streaming kernel is vectorized and
 * a checksum of its output rounded to 4 decimals (the same for both kernels).
 */
public final class AttentionSelectionProbe {
    private AttentionSelectionProbe() {}

    public static void main(String[] args) {
        SplittableRandom random = new SplittableRandom(1);
        int length = 50;
        AttentionSpec spec = AttentionSpec.of(2, 1, 16, true);
        float[] q = EncodingFixtures.gaussian(random, length * 2 * 16);
        float[] k = EncodingFixtures.gaussian(random, length * 16);
        float[] v = EncodingFixtures.gaussian(random, length * 16);
        StreamingAttention attention = new StreamingAttention(spec, AttentionEncodings.ofBias(AlibiBias.causal(2)));
        float[] out = attention.attend(AttentionInputs.selfAttention(q, k, v, length));
        double sum = 0;
        for (float x : out) {
            sum += Math.abs(x);
        }
        System.out.println(attention.vectorized() + " " + String.format(java.util.Locale.ROOT, "%.4f", sum));
    }
}
