package dev.posenc.attention;

import dev.posenc.logits.AttentionPositions;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A self-attention layer that hosts encodings at all four points: the {@link AttentionEncodings#input() input
 * encoding} on the hidden states, the projections {@code Q = xW_qᵀ, K = xW_kᵀ, V = xW_vᵀ} (Hugging Face
 * {@code nn.Linear} weight layout, no bias), then an {@link AttentionKernel} that applies the query/key, logit and
 * value encodings. There is no output projection: the result is the concatenated head outputs. Immutable and
 * thread-safe (weights are copied).
 */
public final class PositionalSelfAttention {
    /** Which kernel computes the attention. */
    public enum Kernel {
        REFERENCE(ReferenceAttention::new),
        STREAMING(StreamingAttention::new);

        private final BiFunction<AttentionSpec, AttentionEncodings, AttentionKernel> factory;

        Kernel(BiFunction<AttentionSpec, AttentionEncodings, AttentionKernel> factory) {
            this.factory = factory;
        }
    }

    private final AttentionSpec spec;
    private final AttentionEncodings encodings;
    private final int hiddenSize;
    private final float[] queryWeight;
    private final float[] keyWeight;
    private final float[] valueWeight;
    private final AttentionKernel kernel;

    /**
     * @param hiddenSize the hidden state size
     * @param queryWeight {@code (numHeads·headDim) × hiddenSize}
     * @param keyWeight {@code (numKeyValueHeads·headDim) × hiddenSize}
     * @param valueWeight same shape as {@code keyWeight}
     */
    public PositionalSelfAttention(AttentionSpec spec, AttentionEncodings encodings, int hiddenSize, float[] queryWeight,
                                   float[] keyWeight, float[] valueWeight, Kernel kernel) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(encodings, "encodings");
        Objects.requireNonNull(queryWeight, "queryWeight");
        Objects.requireNonNull(keyWeight, "keyWeight");
        Objects.requireNonNull(valueWeight, "valueWeight");
        Objects.requireNonNull(kernel, "kernel");
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hidden size must be >= 1, got " + hiddenSize);
        }
        if (encodings.input() != null && encodings.input().dim() != hiddenSize) {
            throw new IllegalArgumentException("the input encoding has dim " + encodings.input().dim()
                    + " but the hidden size is " + hiddenSize);
        }
        this.spec = spec;
        this.encodings = encodings;
        this.hiddenSize = hiddenSize;
        this.queryWeight = weight("query", queryWeight, spec.numHeads());
        this.keyWeight = weight("key", keyWeight, spec.numKeyValueHeads());
        this.valueWeight = weight("value", valueWeight, spec.numKeyValueHeads());
        this.kernel = kernel.factory.apply(spec, encodings.withInput(null));
    }

    private float[] weight(String name, float[] w, int heads) {
        long size = (long) heads * spec.headDim() * hiddenSize;
        if (w.length != size) {
            throw new IllegalArgumentException(name + " weight must have " + size + " values, got "
                    + w.length);
        }
        return w.clone();
    }

    /**
     * The self-attention of {@code tokens} hidden states ({@code tokens × hiddenSize}, not modified) at positions
     * {@code 0 .. tokens − 1}: {@code tokens × numHeads × headDim}.
     */
    public float[] forward(float[] hidden, int tokens) {
        Objects.requireNonNull(hidden, "hidden");
        if (hidden.length != (long) tokens * hiddenSize) {
            throw new IllegalArgumentException("expected " + tokens + " x " + hiddenSize + " hidden states");
        }
        float[] x = hidden.clone();
        if (encodings.input() != null) {
            encodings.input().encode(x, tokens, 0);
        }
        float[] q = project(x, tokens, queryWeight, spec.numHeads());
        float[] k = project(x, tokens, keyWeight, spec.numKeyValueHeads());
        float[] v = project(x, tokens, valueWeight, spec.numKeyValueHeads());
        return kernel.attend(new AttentionInputs(q, k, v, AttentionPositions.selfAttention(tokens)));
    }

    private float[] project(float[] x, int tokens, float[] weight, int heads) {
        int outputs = heads * spec.headDim();
        float[] out = new float[tokens * outputs];
        for (int t = 0; t < tokens; t++) {
            for (int o = 0; o < outputs; o++) {
                double sum = 0;
                for (int c = 0; c < hiddenSize; c++) {
                    sum += (double) x[t * hiddenSize + c] * weight[o * hiddenSize + c];
                }
                out[t * outputs + o] = (float) sum;
            }
        }
        return out;
    }
}
