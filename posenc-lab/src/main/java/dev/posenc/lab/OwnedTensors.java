package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Tensors built from Java values whose memory libtorch owns. Every tensor the lab makes from Java data (parameters,
 * constants, token ids) and every scalar it multiplies or divides by inside the autograd graph comes from here.
 *
 * <p><b>Why.</b> On the CPU, DJL's {@code NDManager.create(float[] | long[] | Number)} copies the values into a
 * direct {@link java.nio.ByteBuffer} and wraps it with {@code torch::from_blob}, which does not own the memory: the
 * bytes stay valid only while the Java {@code NDArray} holding the buffer is open. Once that array is closed, the
 * JVM frees the buffer at a later garbage collection, on its cleaner thread, and {@code free} itself overwrites the
 * first bytes with allocator bookkeeping — while libtorch may still read them through a view or through a tensor that
 * autograd saved for the backward pass. DJL's arithmetic with a Java number ({@code x.mul(2)}, {@code x.div(n)},
 * {@code x.muli(scale)}) does exactly that: it wraps the number, calls the tensor op and closes the wrapper at once,
 * so {@code MulBackward}/{@code DivBackward} later read a scalar from memory the JVM may have freed. Whether it was
 * freed depends on when the collector ran, so gradients were corrupted at random steps (wrong or NaN), never on
 * identical reruns. A copy made by libtorch ({@code clone}, {@code full}) lives as long as any tensor refers to it,
 * and is 64-byte aligned like every libtorch allocation, so BLAS takes the same code path in every process.
 *
 * <p>Arithmetic with a Java number stays safe for {@code add} and {@code sub}, whose backward saves nothing, and for
 * code that never runs backward. Stateless, thread-safe.
 */
public final class OwnedTensors {
    private OwnedTensors() {}

    /** A float32 tensor of {@code shape} holding {@code values}, in libtorch's memory. */
    public static NDArray floats(NDManager manager, float[] values, Shape shape) {
        return ownedCopy(manager.create(values, shape));
    }

    /** An int64 tensor of {@code shape} holding {@code values}, in libtorch's memory. */
    public static NDArray longs(NDManager manager, long[] values, Shape shape) {
        return ownedCopy(manager.create(values, shape));
    }

    /** A float32 scalar (rank 0), in libtorch's memory ({@code torch::full}). */
    public static NDArray scalar(NDManager manager, float value) {
        return manager.full(new Shape(), value);
    }

    private static NDArray ownedCopy(NDArray javaBacked) {
        try (javaBacked) {
            return javaBacked.duplicate();
        }
    }
}
