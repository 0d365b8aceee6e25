package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Constant tensors of one encoding (tables, index matrices, biases), built once per sequence length in a
 * long-lived manager and never registered with a step's {@link NDScope}. Not thread-safe (one model, one thread).
 */
final class ConstantCache {
    private final NDManager manager;
    private final Map<String, NDArray> arrays = new HashMap<>();

    ConstantCache(NDManager manager) {
        this.manager = manager;
    }

    /** The float constant {@code key@seqLen}, built by {@code values} on first use. */
    NDArray floats(String key, int seqLen, Shape shape, IntFunction<float[]> values) {
        return arrays.computeIfAbsent(key + "@" + seqLen, k -> keep(manager.create(values.apply(seqLen), shape)));
    }

    /** The int64 index constant {@code key@seqLen}, built by {@code values} on first use. */
    NDArray indices(String key, int seqLen, Shape shape, IntFunction<long[]> values) {
        return arrays.computeIfAbsent(key + "@" + seqLen,
                k -> keep(manager.create(values.apply(seqLen), shape).toType(DataType.INT64, false)));
    }

    /** A constant already built at {@code seqLen} (by {@code prepare}). */
    NDArray get(String key, int seqLen) {
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
