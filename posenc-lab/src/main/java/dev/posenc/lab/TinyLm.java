package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.posenc.lab.encoding.LabEncoding;

/**
 * The lab's language model (see {@link ModelConfig}), written directly on DJL NDArrays so that every positional
 * encoding plugs in at its own point ({@link LabEncoding}). {@code scripts/lab/throughput.py} is the same
 * model in PyTorch Python, op for op.
 *
 * <p>Parameters live in a {@link ParameterSet}; constants (causal masks, the logit scale) are cached per length in
 * the model's manager ({@link ConstantCache}). Not thread-safe.
 */
final class TinyLm {
    private static final float LN_EPS = 1e-5f;
    private static final NDIndex INPUTS = new NDIndex(":, :-1");
    private static final NDIndex TARGETS = new NDIndex(":, 1:");

    private final ModelConfig config;
    private final ParameterSet parameters;
    private final LabEncoding encoding;
    private final NDArray embed;
    private final Block[] blocks;
    private final NDArray lnFGain;
    private final NDArray lnFBias;
    private final ConstantCache constants;

    private record Block(NDArray ln1Gain, NDArray ln1Bias, NDArray qkvWeight, NDArray qkvBias, NDArray projWeight,
                         NDArray projBias, NDArray ln2Gain, NDArray ln2Bias, NDArray upWeight, NDArray upBias,
                         NDArray downWeight, NDArray downBias) {}

    /**
     * Builds the model's parameters into {@code parameters}; the encoding must already have added its own (it is
     * built first so that its parameters come first, which does not matter for the values: see
     * {@link ParameterSet}).
     */
    TinyLm(ModelConfig config, ParameterSet parameters, LabEncoding encoding) {
        this.config = config;
        this.parameters = parameters;
        this.encoding = encoding;
        int d = config.dModel();
        double std = 0.02;
        double residualStd = std / Math.sqrt(2.0 * config.layers());
        embed = parameters.normal("embed", std, ModelConfig.VOCAB, d);
        blocks = new Block[config.layers()];
        for (int l = 0; l < config.layers(); l++) {
            String p = "block" + l + ".";
            blocks[l] = new Block(
                    parameters.constant(p + "ln1.gain", 1f, d), parameters.constant(p + "ln1.bias", 0f, d),
                    parameters.normal(p + "qkv.weight", std, 3L * d, d), parameters.constant(p + "qkv.bias", 0f, 3L * d),
                    parameters.normal(p + "proj.weight", residualStd, d, d), parameters.constant(p + "proj.bias", 0f, d),
                    parameters.constant(p + "ln2.gain", 1f, d), parameters.constant(p + "ln2.bias", 0f, d),
                    parameters.normal(p + "up.weight", std, 4L * d, d), parameters.constant(p + "up.bias", 0f, 4L * d),
                    parameters.normal(p + "down.weight", residualStd, d, 4L * d),
                    parameters.constant(p + "down.bias", 0f, d));
        }
        lnFGain = parameters.constant("lnf.gain", 1f, d);
        lnFBias = parameters.constant("lnf.bias", 0f, d);
        constants = new ConstantCache(parameters.manager());
    }

    private TinyLm(TinyLm base, LabEncoding encoding) {
        this.config = base.config;
        this.parameters = base.parameters;
        this.encoding = encoding;
        this.embed = base.embed;
        this.blocks = base.blocks;
        this.lnFGain = base.lnFGain;
        this.lnFBias = base.lnFBias;
        this.constants = base.constants;
    }

    /** The same trained weights with another encoding at inference (RoPE with scaled frequencies). */
    TinyLm withEncoding(LabEncoding other) {
        return new TinyLm(this, other);
    }

    ModelConfig config() {
        return config;
    }

    ParameterSet parameters() {
        return parameters;
    }

    LabEncoding encoding() {
        return encoding;
    }

    /** Builds the constants for windows of {@code seqLen} tokens (once per length). */
    void prepare(int seqLen) {
        encoding.prepare(seqLen);
        constants.floats("mask", seqLen, new Shape(seqLen, seqLen), t -> config.attention()
                == ModelConfig.Attention.SOFTMAX
                // additive causal mask: 0 on and below the diagonal, -inf above
                ? Positions.matrix(t, (i, j) -> j > i ? Double.NEGATIVE_INFINITY : 0)
                // multiplicative causal mask for linear attention: 1 on and below the diagonal
                : Positions.matrix(t, (i, j) -> j > i ? 0 : 1));
    }

    /**
     * Mean next-byte cross-entropy (nats) of windows {@code ids} ({@code [B, T + 1]} int64: inputs are the first
     * {@code T}, targets the last {@code T}).
     */
    NDArray loss(NDArray ids) {
        long t = ids.getShape().get(1) - 1;
        NDArray inputs = ids.get(INPUTS);
        NDArray targets = ids.get(TARGETS);
        NDArray logProbs = logits(inputs, (int) t).logSoftmax(-1);
        return logProbs.gather(targets.expandDims(-1), -1).mean().neg();
    }

    /**
     * Next-byte logits {@code [B, T, 256]} of token ids {@code [B, T]}. The residual stream is kept as
     * {@code [B·T, D]} so that every projection is one fused {@code addmm}, as {@code nn.Linear} runs in the Python
     * twin.
     */
    NDArray logits(NDArray tokens, int seqLen) {
        int d = config.dModel();
        int h = config.heads();
        int hd = config.headDim();
        long b = tokens.getShape().get(0);
        long rows = b * seqLen;
        NDArray x = Embedding.embedding(tokens, embed, SparseFormat.DENSE).singletonOrThrow();
        x = encoding.input(x, seqLen).reshape(rows, d);
        NDArray mask = constants.get("mask", seqLen);
        NDArray scale = constants.scalar(encoding.logitScale(hd));
        Shape norm = new Shape(d);
        for (int l = 0; l < blocks.length; l++) {
            Block blk = blocks[l];
            NDArray hIn = LayerNorm.layerNorm(x, norm, blk.ln1Gain, blk.ln1Bias, LN_EPS).singletonOrThrow();
            NDArray qkv = Linear.linear(hIn, blk.qkvWeight, blk.qkvBias).singletonOrThrow()
                    .reshape(b, seqLen, 3, h, hd).transpose(2, 0, 3, 1, 4); // [3, B, H, T, hd]
            NDArray attended = config.attention() == ModelConfig.Attention.SOFTMAX
                    ? softmaxAttention(unstack(encoding.queryKey(qkv, l, seqLen)), mask, scale, l, seqLen)
                    : linearAttention(unstack(qkv), mask, l, seqLen);
            NDArray merged = attended.transpose(0, 2, 1, 3).reshape(rows, d);
            x = x.add(Linear.linear(merged, blk.projWeight, blk.projBias).singletonOrThrow());
            NDArray h2 = LayerNorm.layerNorm(x, norm, blk.ln2Gain, blk.ln2Bias, LN_EPS).singletonOrThrow();
            NDArray up = Activation.gelu(Linear.linear(h2, blk.upWeight, blk.upBias).singletonOrThrow());
            x = x.add(Linear.linear(up, blk.downWeight, blk.downBias).singletonOrThrow());
        }
        x = LayerNorm.layerNorm(x, norm, lnFGain, lnFBias, LN_EPS).singletonOrThrow();
        return x.matMul(embed.transpose()).reshape(b, seqLen, ModelConfig.VOCAB);
    }

    /** {@code [3, B, H, T, hd]} as views {@code q, k, v} of {@code [B, H, T, hd]} (one split, as {@code unbind}). */
    private static NDList unstack(NDArray qkv) {
        NDList parts = qkv.split(3, 0);
        return new NDList(parts.get(0).squeeze(0), parts.get(1).squeeze(0), parts.get(2).squeeze(0));
    }

    private NDArray softmaxAttention(NDList qkv, NDArray mask, NDArray scale, int layer, int seqLen) {
        NDArray q = qkv.get(0);
        NDArray k = qkv.get(1);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).muli(scale);
        NDArray bias = encoding.logitBias(q, k, layer, seqLen);
        if (bias != null) {
            scores = scores.add(bias);
        }
        NDArray probabilities = scores.add(mask).softmax(-1);
        NDArray out = probabilities.matMul(qkv.get(2));
        NDArray extra = encoding.values(probabilities, layer, seqLen);
        return extra == null ? out : out.add(extra);
    }

    /**
     * Causal linear attention with feature map φ(x) = elu(x) + 1 (Katharopoulos et al. 2020, eq. 7); with RoPE, as
     * RoFormer §3.3 (eq. 19) prescribes, the rotation applies to φ(q), φ(k) in the numerator only. The sums over
     * {@code j ≤ i} are computed as a masked {@code T×T} product: the same function as the running-sum form, and
     * faster at the lab's short lengths.
     */
    private NDArray linearAttention(NDList qkv, NDArray causal, int layer, int seqLen) {
        NDArray phiQ = Activation.elu(qkv.get(0), 1f).add(1);
        NDArray phiK = Activation.elu(qkv.get(1), 1f).add(1);
        NDArray v = qkv.get(2);
        NDList rotated = unstack(encoding.queryKey(NDArrays.stack(new NDList(phiQ, phiK, v)), layer, seqLen));
        NDArray numeratorWeights = rotated.get(0).matMul(rotated.get(1).transpose(0, 1, 3, 2)).mul(causal);
        NDArray denominator = phiQ.matMul(phiK.transpose(0, 1, 3, 2)).mul(causal).sum(new int[] {-1}, true);
        return numeratorWeights.matMul(v).div(denominator.add(1e-6f));
    }

    /** Token ids (int64) on the model's device from a flat {@code long[]} of {@code rows × cols}. */
    NDArray ids(NDManager manager, long[] values, int rows, int cols) {
        return OwnedTensors.longs(manager, values, new Shape(rows, cols));
    }
}
