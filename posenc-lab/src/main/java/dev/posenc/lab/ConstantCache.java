package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Constant tensors of one model or encoding (tables, index matrices, masks, scalar factors), built once per sequence
 * length in a long-lived manager, in libtorch's memory ({@link OwnedTensors}), and never registered with a step's
 * {@link NDScope}: building one inside a step is safe. Not thread-safe (one model, one thread).
 */
public final class ConstantCache {
    private final NDManager manager;
    private final Map<String, NDArray> arrays = new HashMap<>();

    public ConstantCache(NDManager manager) {
        this.manager = manager;
    }

    /** The float constant {@code key@seqLen}, built by {@code values} on first use. */
    public NDArray floats(String key, int seqLen, Shape shape, IntFunction<float[]> values) {
        return arrays.computeIfAbsent(key + "@" + seqLen,
                k -> keep(OwnedTensors.floats(manager, values.apply(seqLen), shape)));
    }

    /** The int64 index constant {@code key@seqLen}, built by {@code values} on first use. */
    public NDArray indices(String key, int seqLen, Shape shape, IntFunction<long[]> values) {
        return arrays.computeIfAbsent(key + "@" + seqLen,
                k -> keep(OwnedTensors.longs(manager, values.apply(seqLen), shape)));
    }

    /**
     * The float32 scalar {@code value} (rank 0), for multiplying or dividing inside the autograd graph: a factor the
     * backward pass reads must outlive the step, which DJL's {@code mul(Number)} does not ensure (see
     * {@link OwnedTensors}).
     */
    public NDArray scalar(float value) {
        return arrays.computeIfAbsent("scalar:" + Float.floatToRawIntBits(value),
                k -> keep(OwnedTensors.scalar(manager, value)));
    }

    /** A constant already built at {@code seqLen} (by {@code prepare}). */
    public NDArray get(String key, int seqLen) {
        NDArray a = arrays.get(key + "@" + seqLen);
        if (a == null) {
            throw new IllegalStateException(key + " not prepared for length " + seqLen);
        }
        return a;
    }

    private static NDArray keep(NDArray array) {
        NDScope.unregister(array);
        return array;
    }
}
