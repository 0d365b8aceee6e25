package dev.posenc.querykey;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * The loop that rotates heads in place: {@link #scalar()} (the reference, obviously right) or the Vector API
 * kernel ({@link #vector()}), which produces the same bits. {@link RotaryEmbedding} drives a kernel over tokens;
 * choose one here only to compare them, {@link #best()} is the default.
 *
 * <h2>Implementation overview</h2>
 * A kernel receives one token's heads of one tensor and one cos/sin row ({@code pairs} cosines then
 * {@code pairs} sines, see {@link CosSinSource}) and rotates, for every head and pair {@code (x0, x1)},
 * {@code x0' = x0*cos - x1*sin}, {@code x1' = x1*cos + x0*sin}: exactly Hugging Face's
 * {@code q*cos + rotate_half(q)*sin} evaluated in float (two products, one sum, each rounded; no FMA), which is why
 * both kernels, and torch given the same cos/sin, agree bit for bit. Columns {@code [rotary_dim, head_dim)} are not
 * touched. Half-precision tensors ({@link HalfFloat}) are widened exactly, rotated in float as above
 * ({@link HalfArithmetic#FLOAT32}) or with every product and sum rounded to the format as torch does
 * ({@link HalfArithmetic#HF_FORWARD}), and stored with one round-to-nearest-even per element; the vector kernel's
 * conversions (integer lane operations, or the JDK's float16 conversions) reproduce {@link HalfFloat}'s bit for bit.
 *
 * <p>The Vector API is optional ({@code requires static jdk.incubator.vector}): the vector kernel's class is loaded
 * only after {@code ModuleLayer.boot()} has shown the module resolved, so nothing links against it otherwise.
 */
public abstract sealed class RopeKernel permits ScalarRopeKernel, VectorRopeKernel {
    /** System property; {@code -Dposenc.vector=false} makes {@link #best()} return the scalar kernel. */
    public static final String VECTOR_PROPERTY = "posenc.vector";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    RopeKernel() {}

    /** The scalar reference kernel. */
    public static RopeKernel scalar() {
        return ScalarRopeKernel.INSTANCE;
    }

    /** The Vector API kernel, if {@code jdk.incubator.vector} is resolved ({@code --add-modules jdk.incubator.vector}). */
    public static Optional<RopeKernel> vector() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()
                ? Optional.of(VectorKernelHolder.INSTANCE)
                : Optional.empty();
    }

    /** The vector kernel when available and not disabled by {@value #VECTOR_PROPERTY}{@code =false}, else scalar. */
    public static RopeKernel best() {
        if ("false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY))) {
            return scalar();
        }
        return vector().orElse(scalar());
    }

    /** {@code "scalar"}, or {@code "vector-<bits>"} with the preferred vector width of this machine. */
    public abstract String name();

    /**
     * The row in the form {@link #rotate} reads it for {@code layout}: {@code row} itself (read at
     * {@code rowOffset}), or a copy this kernel prepared in {@code scratch} (read at {@code scratchOffset}). The
     * vector kernel expands interleaved rows; the caller prepares a row once per token and rotates all heads of both
     * tensors with it.
     *
     * @param bfloat16Pairs the row will rotate bfloat16 tensors with {@link HalfArithmetic#FLOAT32}: the vector
     *     kernel reads an interleaved bfloat16 pair as one int lane, against the compact row (not expanded)
     * @param scratch for {@link RopeLayout#INTERLEAVED} without {@code bfloat16Pairs}, at least {@code 4 * pairs}
     *     floats from {@code scratchOffset} the kernel may overwrite; may be null otherwise
     */
    float[] prepare(RopeLayout layout, boolean bfloat16Pairs, int pairs, float[] row, int rowOffset, float[] scratch,
                    int scratchOffset) {
        return row;
    }

    /**
     * Rotates the first {@code 2 * pairs} columns of {@code heads} heads starting at {@code x[base]},
     * {@code headStride} apart, by the {@linkplain #prepare prepared} row at {@code row[rowOffset]}. Arguments are
     * checked by the caller.
     */
    abstract void rotate(float[] x, int base, int heads, int headStride, RopeLayout layout, int pairs,
                         float[] row, int rowOffset);

    /** As {@link #rotate(float[], int, int, int, RopeLayout, int, float[], int)}; indices count floats. */
    abstract void rotate(MemorySegment x, long base, int heads, long headStride, RopeLayout layout, int pairs,
                         float[] row, int rowOffset);

    /**
     * As {@link #rotate(float[], int, int, int, RopeLayout, int, float[], int)} on {@link HalfFloat}s: each pair
     * widened to float, rotated with {@code arithmetic}, each result rounded once to {@code format}. For
     * {@link HalfArithmetic#HF_FORWARD} the caller has rounded the row to {@code format} already.
     */
    abstract void rotate(short[] x, int base, int heads, int headStride, RopeLayout layout, int pairs,
                         HalfFloat format, HalfArithmetic arithmetic, float[] row, int rowOffset,
                         HalfScratch scratch);

    /**
     * As {@link #rotate(short[], int, int, int, RopeLayout, int, HalfFloat, HalfArithmetic, float[], int,
     * HalfScratch)}; indices count shorts.
     */
    abstract void rotate(MemorySegment x, long base, int heads, long headStride, RopeLayout layout, int pairs,
                         HalfFloat format, HalfArithmetic arithmetic, float[] row, int rowOffset,
                         HalfScratch scratch);

    /**
     * Working memory of one thread's half-precision calls, for up to {@code elements} rotated elements per call
     * (heads times rotated columns): the vector kernel widens a token's heads into {@code floats}, and copies a
     * segment's through {@code bits}. One per thread ({@link #forThread}), reused by its later calls: a decoding
     * step would otherwise spend as long zeroing a fresh one as rotating.
     */
    static final class HalfScratch {
        private static final ThreadLocal<HalfScratch> CURRENT = new ThreadLocal<>();

        final float[] floats;
        final short[] bits;

        private HalfScratch(int elements) {
            floats = new float[elements];
            bits = new short[elements];
        }

        /** This thread's scratch, replaced by a larger one if it holds fewer than {@code elements}. */
        static HalfScratch forThread(int elements) {
            HalfScratch s = CURRENT.get();
            if (s == null || s.floats.length < elements) {
                s = new HalfScratch(elements);
                CURRENT.set(s);
            }
            return s;
        }
    }

    /**
     * One row of {@link ExactRowRecurrence}, over all {@code cos.length} pairs: if {@code step}, each double pair
     * {@code (cos[i], sin[i])} is first rotated by {@code (stepCos[i], stepSin[i])} in place
     * ({@code c*sc - s*ss}, {@code s*sc + c*ss}, each product and sum rounded to double); then
     * {@code cos[i]*scaling} and {@code sin[i]*scaling} are rounded to float into {@code row[offset + i]} and
     * {@code row[offset + pairs + i]}. Returns the smallest {@link ExactRowRecurrence#midpointDistance} of the
     * row's values. Both kernels compute the same doubles and floats.
     */
    abstract double recurrenceRow(double[] cos, double[] sin, double[] stepCos, double[] stepSin, boolean step,
                                  double scaling, float[] row, int offset);

    @Override
    public String toString() {
        return name();
    }

    /** Initialised, and so loads {@link VectorRopeKernel}, only on first use. */
    private static final class VectorKernelHolder {
        static final RopeKernel INSTANCE = new VectorRopeKernel();
    }
}
