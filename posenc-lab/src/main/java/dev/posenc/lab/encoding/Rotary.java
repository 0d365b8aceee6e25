package dev.posenc.lab.encoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.posenc.lab.ConstantCache;
import dev.posenc.lab.ParameterSet;
import dev.posenc.querykey.RotaryFrequencies;
import java.util.function.IntFunction;

/**
 * RoPE (arXiv:2104.09864) on queries and keys, the Hugging Face way: {@code q·cos + rotate_half(q)·sin} (half
 * layout), with cos/sin tables from posenc-core for the frequencies that {@code frequencies} gives at each sequence
 * length (default RoPE in training; PI / NTK / dynamic NTK / YaRN at inference). With {@code xpos}, queries are also
 * scaled by {@code ζ^(n/B)} and keys by {@code ζ^(−m/B)} (arXiv:2212.10554, B = {@value #XPOS_SCALE_BASE}).
 */
public final class Rotary implements LabEncoding {
    /** RoPE's base {@code rope_theta} in the lab (RoFormer's 10000). */
    public static final double THETA = 10000;
    static final double XPOS_SCALE_BASE = 512;

    private final String name;
    private final ConstantCache constants;
    private final IntFunction<RotaryFrequencies> frequencies;
    private final int headDim;
    private final boolean xpos;

    private Rotary(String name, ParameterSet parameters, int headDim, IntFunction<RotaryFrequencies> frequencies,
           boolean xpos) {
        this.name = name;
        this.constants = new ConstantCache(parameters.manager());
        this.headDim = headDim;
        this.frequencies = frequencies;
        this.xpos = xpos;
    }

    static Rotary standard(ParameterSet parameters, int headDim) {
        RotaryFrequencies f = CoreTables.ropeDefault(headDim, THETA);
        return new Rotary("rope", parameters, headDim, t -> f, false);
    }

    static Rotary xpos(ParameterSet parameters, int headDim) {
        RotaryFrequencies f = CoreTables.ropeDefault(headDim, THETA);
        return new Rotary("xpos", parameters, headDim, t -> f, true);
    }

    /**
     * RoPE named {@code name} with the frequencies {@code frequencies} gives for each window length: the scaled
     * frequencies (PI, NTK, dynamic NTK, YaRN) that a model trained with {@link #standard} is evaluated with.
     */
    public static Rotary withFrequencies(String name, ParameterSet parameters, int headDim,
                                         IntFunction<RotaryFrequencies> frequencies) {
        return new Rotary(name, parameters, headDim, frequencies, false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void prepare(int seqLen) {
        float[][] cosSin = CoreTables.ropeCosSin(frequencies.apply(seqLen), seqLen);
        constants.floats("rotateHalf", 0, new Shape(headDim, headDim), t -> rotateHalfMatrix(headDim));
        Shape slots = new Shape(3, 1, 1, seqLen, headDim);
        if (!xpos) {
            constants.floats("cos", seqLen, slots, t -> slots(cosSin[0], cosSin[0], 1));
            constants.floats("sin", seqLen, slots, t -> slots(cosSin[1], cosSin[1], 0));
            return;
        }
        float[][] scaled = new float[4][seqLen * headDim];
        int half = headDim / 2;
        for (int p = 0; p < seqLen; p++) {
            for (int c = 0; c < headDim; c++) {
                double scale = CoreTables.xposQueryScale(XPOS_SCALE_BASE, headDim, c % half, p);
                int at = p * headDim + c;
                scaled[0][at] = (float) (cosSin[0][at] * scale);
                scaled[1][at] = (float) (cosSin[1][at] * scale);
                scaled[2][at] = (float) (cosSin[0][at] / scale);
                scaled[3][at] = (float) (cosSin[1][at] / scale);
            }
        }
        constants.floats("cos", seqLen, slots, t -> slots(scaled[0], scaled[2], 1));
        constants.floats("sin", seqLen, slots, t -> slots(scaled[1], scaled[3], 0));
    }

    /**
     * A table per slot of {@code qkv}, {@code [3, 1, 1, T, headDim]} flattened: {@code query}, {@code key}, and
     * {@code value} everywhere in the values' slot (1 in cos, 0 in sin: {@code v·1 + (v·R)·0 = v} exactly).
     */
    static float[] slots(float[] query, float[] key, float value) {
        int n = query.length;
        float[] all = new float[3 * n];
        System.arraycopy(query, 0, all, 0, n);
        System.arraycopy(key, 0, all, n, n);
        java.util.Arrays.fill(all, 2 * n, 3 * n, value);
        return all;
    }

    /**
     * {@code qkv·cos + (qkv·R)·sin} with per-slot tables ({@link #slots}), {@code rotate_half} as a product by the
     * constant signed permutation {@code R} ({@code x·R = [−x2, x1]}): four tensor ops for queries and keys together.
     * The same numbers as {@link #rotate} on each (a test holds them equal).
     */
    @Override
    public NDArray queryKey(NDArray qkv, int layer, int seqLen) {
        return rotateSlots(qkv, constants.get("rotateHalf", 0), constants.get("cos", seqLen),
                constants.get("sin", seqLen));
    }

    /** {@code qkv·cos + (qkv·R)·sin}: the stacked rotation, shared with {@link RotaryLearnedTheta}. */
    static NDArray rotateSlots(NDArray qkv, NDArray rotateHalf, NDArray cos, NDArray sin) {
        return qkv.mul(cos).add(qkv.matMul(rotateHalf).mul(sin));
    }

    /** {@code R} with {@code x·R = rotate_half(x) = [−x2, x1]}: {@code R[i+h][i] = −1}, {@code R[i][i+h] = 1}. */
    static float[] rotateHalfMatrix(int headDim) {
        int half = headDim / 2;
        float[] r = new float[headDim * headDim];
        for (int i = 0; i < half; i++) {
            r[(i + half) * headDim + i] = -1;
            r[i * headDim + i + half] = 1;
        }
        return r;
    }

    /**
     * {@code x·cos + rotate_half(x)·sin}, {@code rotate_half(x) = [−x2, x1]} (HF {@code apply_rotary_pos_emb}) as
     * separate tensor ops: the naive way, for the overhead experiment and as the reference of {@link #queryKey}.
     */
    public static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        int half = (int) (x.getShape().getLastDimension() / 2);
        NDIndex[] halves = HALVES.computeIfAbsent(half,
                h -> new NDIndex[] {new NDIndex("..., " + h + ":"), new NDIndex("..., :" + h)});
        NDArray rotated = x.get(halves[0]).neg().concat(x.get(halves[1]), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /** Parsed indices of the second and first half of the last axis, by half size (thread-safe). */
    private static final java.util.concurrent.ConcurrentMap<Integer, NDIndex[]> HALVES =
            new java.util.concurrent.ConcurrentHashMap<>();
}
