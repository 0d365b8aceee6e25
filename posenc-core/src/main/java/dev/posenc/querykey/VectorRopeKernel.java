package dev.posenc.querykey;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel ({@code jdk.incubator.vector}, preferred species: 16 floats with AVX-512, 8 with AVX2).
 * Loaded only through {@link RopeKernel#vector()}, after the module was found resolved.
 *
 * <h2>Implementation overview</h2>
 * <ul>
 *   <li>{@link RopeLayout#HALF}: a vector of {@code x[i..]} and one of {@code x[i+pairs..]} against vectors of
 *       cos and sin read straight from the row; pairs are lanes.
 *   <li>{@link RopeLayout#INTERLEAVED}: a vector of consecutive columns holds whole pairs; with the row expanded
 *       once per token ({@link #prepare}, two lane permutations per vector) into
 *       {@code cosDup = [c0, c0, c1, c1, ..]} and {@code sinAlt = [-s0, s0, -s1, s1, ..]},
 *       {@code x' = x*cosDup + swapPairs(x)*sinAlt} ({@code swapPairs} exchanges lanes {@code 2i}, {@code 2i+1}).
 *       {@code x0*c + x1*(-s)} equals {@code x0*c - x1*s} bit for bit.
 * </ul>
 * The same multiplications and additions as {@link ScalarRopeKernel}, in the same order, without FMA: the two
 * kernels produce identical bits. Columns past the last whole vector go through the scalar pair rotation.
 *
 * <p>Half precision ({@link HalfFloat}) with {@link HalfArithmetic#FLOAT32}: bfloat16 in the half layout loads
 * {@code LANES} shorts, widens them to int lanes and shifts them into floats, rotates as above, rounds (c10's round to
 * nearest even) and narrows; interleaved bfloat16 reads two elements per int lane (see
 * {@link #interleavedBfloat16Pairs}); float16 widens a token's heads into a float scratch with the JDK's
 * {@code Float.float16ToFloat}, which C2 compiles to the CPU's conversion instructions, rotates them with the float
 * kernel and narrows them back ({@link #throughFloats}). {@link HalfArithmetic#HF_FORWARD} rounds every product and
 * sum to the format, converting float16 in integer lanes with the branch-free conversions of Maratyszcza's FP16
 * library ({@code fp16_ieee_to_fp32_value}, {@code fp16_ieee_from_fp32_value}, which torch's c10 {@code Half.h}
 * uses); {@code HalfConversionTest} holds them equal to {@link HalfFloat}'s scalar conversions.
 *
 * <p>The head loop steps the head's base index ({@code b += headStride}) rather than computing
 * {@code base + h * headStride}: on JDK 25 C2 the multiplied form ran the 80 MiB benchmark shape at about 25 GB/s,
 * the stepped form at about 40 GB/s on the same machine (same memory order, same instructions in the inner loop).
 */
final class VectorRopeKernel extends RopeKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /**
     * Whether this machine has 32 vector registers (AVX-512, and the 32 of AArch64's NEON/SVE), so that a block of
     * 8 cos/sin vectors and 8 data vectors stays in registers; AVX2's 16 do not hold it.
     */
    private static final boolean WIDE_REGISTER_FILE =
            SPECIES.vectorBitSize() >= 512 || "aarch64".equals(System.getProperty("os.arch"));
    /**
     * The rotary pairs of head_dim 128 (Llama, Mistral, Qwen, ...), the width most models rotate. Where no register
     * block applies, the per-head loops are called with this constant for it: inlined, their trip count is then known
     * and C2 unrolls them into straight-line code (measured on AVX2, JMH: the decoding step of 32 + 8 heads 557 ->
     * 474 ns in the half layout, 805 -> 668 ns interleaved; the 4096-token call a point or two closer to the
     * in-place baseline).
     */
    private static final int COMMON_PAIRS = 64;
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(SPECIES, i -> i ^ 1);
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Bytes of one float vector. */
    private static final long VECTOR_BYTES = 4L * LANES;
    /** Lane {@code j} takes lane {@code j / 2}: {@code [a, b, ..] -> [a, a, b, b, ..]} (the first half). */
    private static final VectorShuffle<Float> DUPLICATE_LOW = VectorShuffle.fromOp(SPECIES, j -> j / 2);
    /** Lane {@code j} takes lane {@code LANES/2 + j / 2} (the second half, duplicated). */
    private static final VectorShuffle<Float> DUPLICATE_HIGH = VectorShuffle.fromOp(SPECIES, j -> LANES / 2 + j / 2);
    /** {@code [-1, 1, -1, 1, ..]}: negates the even copy of each sine; multiplying by it is exact. */
    private static final FloatVector ALTERNATE_SIGN =
            FloatVector.broadcast(SPECIES, 1f).blend(-1f, VectorMask.fromLong(SPECIES, 0x5555_5555_5555_5555L));

    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    /** As many floats as {@link #DOUBLES} has doubles. */
    private static final VectorSpecies<Float> NARROW_FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));

    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, SPECIES.vectorShape());
    /** As many shorts as fit the float vector: two bfloat16 per int lane. */
    private static final VectorSpecies<Short> PAIRED_SHORTS = VectorSpecies.of(short.class, SPECIES.vectorShape());
    private static final VectorSpecies<Short> SHORTS =
            VectorSpecies.of(short.class, VectorShape.forBitSize(LANES * Short.SIZE));

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }

    @Override
    void rotate(float[] x, int base, int heads, int headStride, RopeLayout layout, int pairs,
                float[] row, int rowOffset) {
        if (layout == RopeLayout.HALF) {
            int sinOffset = rowOffset + pairs;
            if (pairs == 4 * LANES && WIDE_REGISTER_FILE) {
                halfBlock4(x, base, heads, headStride, pairs, row, rowOffset, sinOffset);
            } else if (pairs == 2 * LANES) {
                halfBlock2(x, base, heads, headStride, pairs, row, rowOffset, sinOffset);
            } else if (pairs == COMMON_PAIRS) {
                halfRest(x, base, heads, headStride, COMMON_PAIRS, row, rowOffset, 0);
            } else {
                halfRest(x, base, heads, headStride, pairs, row, rowOffset, 0);
            }
        } else {
            int width = 2 * pairs;
            int sinOffset = rowOffset + width;
            if (width == 8 * LANES && WIDE_REGISTER_FILE) {
                interleavedBlock8(x, base, heads, headStride, row, rowOffset, sinOffset);
            } else if (width == 4 * LANES) {
                interleavedBlock4(x, base, heads, headStride, row, rowOffset, sinOffset);
            } else if (pairs == COMMON_PAIRS) {
                interleavedRest(x, base, heads, headStride, 2 * COMMON_PAIRS, row, rowOffset, 0);
            } else {
                interleavedRest(x, base, heads, headStride, width, row, rowOffset, 0);
            }
        }
    }

    /*
     * The blocks: columns [0, n*LANES) of every head (with, for the half layout, their partners pairs later), the
     * block's cos and sin vectors loaded once and held in registers across the heads, each head's columns read in
     * address order before they are written. A block is used only where one block spans the whole rotated width
     * and its vectors fit the register file (128 columns: one half block of 4 vectors or one interleaved block of 8
     * with 512-bit vectors and 32 registers), so each head is still walked once, in order; otherwise the per-head
     * loop reloads cos and sin (from L1) for each head. Measured on the benchmark shape: with AVX-512 the
     * per-head loop ran at about 70% of the in-place bandwidth baseline, the blocks at about 90%; with AVX2
     * (16 registers, a 128-column head needing two blocks of 4 vectors or four of 2, each a pass over the token's
     * heads) the per-head loop reached 85%, two passes 80%, four 64% (one run each). Each block its own method:
     * C2 compiles a block's dozens of vector values well alone, not inlined into one large loop. The same
     * operations per element as the scalar kernel.
     */

    private static void halfBlock4(float[] x, int at, int heads, int headStride, int pairs, float[] row, int cosAt,
                                   int sinAt) {
        FloatVector c0 = FloatVector.fromArray(SPECIES, row, cosAt);
        FloatVector c1 = FloatVector.fromArray(SPECIES, row, cosAt + LANES);
        FloatVector c2 = FloatVector.fromArray(SPECIES, row, cosAt + 2 * LANES);
        FloatVector c3 = FloatVector.fromArray(SPECIES, row, cosAt + 3 * LANES);
        FloatVector s0 = FloatVector.fromArray(SPECIES, row, sinAt);
        FloatVector s1 = FloatVector.fromArray(SPECIES, row, sinAt + LANES);
        FloatVector s2 = FloatVector.fromArray(SPECIES, row, sinAt + 2 * LANES);
        FloatVector s3 = FloatVector.fromArray(SPECIES, row, sinAt + 3 * LANES);
        for (int h = 0, p = at; h < heads; h++, p += headStride) {
            int q = p + pairs;
            FloatVector a0 = FloatVector.fromArray(SPECIES, x, p);
            FloatVector a1 = FloatVector.fromArray(SPECIES, x, p + LANES);
            FloatVector a2 = FloatVector.fromArray(SPECIES, x, p + 2 * LANES);
            FloatVector a3 = FloatVector.fromArray(SPECIES, x, p + 3 * LANES);
            FloatVector b0 = FloatVector.fromArray(SPECIES, x, q);
            FloatVector b1 = FloatVector.fromArray(SPECIES, x, q + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, x, q + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, x, q + 3 * LANES);
            a0.mul(c0).sub(b0.mul(s0)).intoArray(x, p);
            a1.mul(c1).sub(b1.mul(s1)).intoArray(x, p + LANES);
            a2.mul(c2).sub(b2.mul(s2)).intoArray(x, p + 2 * LANES);
            a3.mul(c3).sub(b3.mul(s3)).intoArray(x, p + 3 * LANES);
            b0.mul(c0).add(a0.mul(s0)).intoArray(x, q);
            b1.mul(c1).add(a1.mul(s1)).intoArray(x, q + LANES);
            b2.mul(c2).add(a2.mul(s2)).intoArray(x, q + 2 * LANES);
            b3.mul(c3).add(a3.mul(s3)).intoArray(x, q + 3 * LANES);
        }
    }

    private static void halfBlock2(float[] x, int at, int heads, int headStride, int pairs, float[] row, int cosAt,
                                   int sinAt) {
        FloatVector c0 = FloatVector.fromArray(SPECIES, row, cosAt);
        FloatVector c1 = FloatVector.fromArray(SPECIES, row, cosAt + LANES);
        FloatVector s0 = FloatVector.fromArray(SPECIES, row, sinAt);
        FloatVector s1 = FloatVector.fromArray(SPECIES, row, sinAt + LANES);
        for (int h = 0, p = at; h < heads; h++, p += headStride) {
            int q = p + pairs;
            FloatVector a0 = FloatVector.fromArray(SPECIES, x, p);
            FloatVector a1 = FloatVector.fromArray(SPECIES, x, p + LANES);
            FloatVector b0 = FloatVector.fromArray(SPECIES, x, q);
            FloatVector b1 = FloatVector.fromArray(SPECIES, x, q + LANES);
            a0.mul(c0).sub(b0.mul(s0)).intoArray(x, p);
            a1.mul(c1).sub(b1.mul(s1)).intoArray(x, p + LANES);
            b0.mul(c0).add(a0.mul(s0)).intoArray(x, q);
            b1.mul(c1).add(a1.mul(s1)).intoArray(x, q + LANES);
        }
    }

    /** Pairs {@code [from, pairs)} of every head: whole vectors, then single pairs. */
    private static void halfRest(float[] x, int base, int heads, int headStride, int pairs, float[] row,
                                 int rowOffset, int from) {
        int bound = from + SPECIES.loopBound(pairs - from);
        int sinOffset = rowOffset + pairs;
        for (int h = 0, b = base; h < heads; h++, b += headStride) {
            int i = from;
            for (; i < bound; i += LANES) {
                FloatVector cos = FloatVector.fromArray(SPECIES, row, rowOffset + i);
                FloatVector sin = FloatVector.fromArray(SPECIES, row, sinOffset + i);
                FloatVector x0 = FloatVector.fromArray(SPECIES, x, b + i);
                FloatVector x1 = FloatVector.fromArray(SPECIES, x, b + pairs + i);
                x0.mul(cos).sub(x1.mul(sin)).intoArray(x, b + i);
                x1.mul(cos).add(x0.mul(sin)).intoArray(x, b + pairs + i);
            }
            for (; i < pairs; i++) {
                ScalarRopeKernel.rotatePair(x, b + i, b + pairs + i, row[rowOffset + i], row[sinOffset + i]);
            }
        }
    }

    private static void interleavedBlock8(float[] x, int at, int heads, int headStride, float[] row, int cosAt,
                                          int sinAt) {
        FloatVector c0 = FloatVector.fromArray(SPECIES, row, cosAt);
        FloatVector c1 = FloatVector.fromArray(SPECIES, row, cosAt + LANES);
        FloatVector c2 = FloatVector.fromArray(SPECIES, row, cosAt + 2 * LANES);
        FloatVector c3 = FloatVector.fromArray(SPECIES, row, cosAt + 3 * LANES);
        FloatVector c4 = FloatVector.fromArray(SPECIES, row, cosAt + 4 * LANES);
        FloatVector c5 = FloatVector.fromArray(SPECIES, row, cosAt + 5 * LANES);
        FloatVector c6 = FloatVector.fromArray(SPECIES, row, cosAt + 6 * LANES);
        FloatVector c7 = FloatVector.fromArray(SPECIES, row, cosAt + 7 * LANES);
        FloatVector s0 = FloatVector.fromArray(SPECIES, row, sinAt);
        FloatVector s1 = FloatVector.fromArray(SPECIES, row, sinAt + LANES);
        FloatVector s2 = FloatVector.fromArray(SPECIES, row, sinAt + 2 * LANES);
        FloatVector s3 = FloatVector.fromArray(SPECIES, row, sinAt + 3 * LANES);
        FloatVector s4 = FloatVector.fromArray(SPECIES, row, sinAt + 4 * LANES);
        FloatVector s5 = FloatVector.fromArray(SPECIES, row, sinAt + 5 * LANES);
        FloatVector s6 = FloatVector.fromArray(SPECIES, row, sinAt + 6 * LANES);
        FloatVector s7 = FloatVector.fromArray(SPECIES, row, sinAt + 7 * LANES);
        for (int h = 0, p = at; h < heads; h++, p += headStride) {
            FloatVector v0 = FloatVector.fromArray(SPECIES, x, p);
            FloatVector v1 = FloatVector.fromArray(SPECIES, x, p + LANES);
            FloatVector v2 = FloatVector.fromArray(SPECIES, x, p + 2 * LANES);
            FloatVector v3 = FloatVector.fromArray(SPECIES, x, p + 3 * LANES);
            v0.mul(c0).add(v0.rearrange(SWAP_PAIRS).mul(s0)).intoArray(x, p);
            v1.mul(c1).add(v1.rearrange(SWAP_PAIRS).mul(s1)).intoArray(x, p + LANES);
            v2.mul(c2).add(v2.rearrange(SWAP_PAIRS).mul(s2)).intoArray(x, p + 2 * LANES);
            v3.mul(c3).add(v3.rearrange(SWAP_PAIRS).mul(s3)).intoArray(x, p + 3 * LANES);
            FloatVector v4 = FloatVector.fromArray(SPECIES, x, p + 4 * LANES);
            FloatVector v5 = FloatVector.fromArray(SPECIES, x, p + 5 * LANES);
            FloatVector v6 = FloatVector.fromArray(SPECIES, x, p + 6 * LANES);
            FloatVector v7 = FloatVector.fromArray(SPECIES, x, p + 7 * LANES);
            v4.mul(c4).add(v4.rearrange(SWAP_PAIRS).mul(s4)).intoArray(x, p + 4 * LANES);
            v5.mul(c5).add(v5.rearrange(SWAP_PAIRS).mul(s5)).intoArray(x, p + 5 * LANES);
            v6.mul(c6).add(v6.rearrange(SWAP_PAIRS).mul(s6)).intoArray(x, p + 6 * LANES);
            v7.mul(c7).add(v7.rearrange(SWAP_PAIRS).mul(s7)).intoArray(x, p + 7 * LANES);
        }
    }

    private static void interleavedBlock4(float[] x, int at, int heads, int headStride, float[] row, int cosAt,
                                          int sinAt) {
        FloatVector c0 = FloatVector.fromArray(SPECIES, row, cosAt);
        FloatVector c1 = FloatVector.fromArray(SPECIES, row, cosAt + LANES);
        FloatVector c2 = FloatVector.fromArray(SPECIES, row, cosAt + 2 * LANES);
        FloatVector c3 = FloatVector.fromArray(SPECIES, row, cosAt + 3 * LANES);
        FloatVector s0 = FloatVector.fromArray(SPECIES, row, sinAt);
        FloatVector s1 = FloatVector.fromArray(SPECIES, row, sinAt + LANES);
        FloatVector s2 = FloatVector.fromArray(SPECIES, row, sinAt + 2 * LANES);
        FloatVector s3 = FloatVector.fromArray(SPECIES, row, sinAt + 3 * LANES);
        for (int h = 0, p = at; h < heads; h++, p += headStride) {
            FloatVector v0 = FloatVector.fromArray(SPECIES, x, p);
            FloatVector v1 = FloatVector.fromArray(SPECIES, x, p + LANES);
            FloatVector v2 = FloatVector.fromArray(SPECIES, x, p + 2 * LANES);
            FloatVector v3 = FloatVector.fromArray(SPECIES, x, p + 3 * LANES);
            v0.mul(c0).add(v0.rearrange(SWAP_PAIRS).mul(s0)).intoArray(x, p);
            v1.mul(c1).add(v1.rearrange(SWAP_PAIRS).mul(s1)).intoArray(x, p + LANES);
            v2.mul(c2).add(v2.rearrange(SWAP_PAIRS).mul(s2)).intoArray(x, p + 2 * LANES);
            v3.mul(c3).add(v3.rearrange(SWAP_PAIRS).mul(s3)).intoArray(x, p + 3 * LANES);
        }
    }

    /** Columns {@code [from, width)} of every head: whole vectors, then single pairs. */
    private static void interleavedRest(float[] x, int base, int heads, int headStride, int width, float[] row,
                                        int rowOffset, int from) {
        int bound = from + SPECIES.loopBound(width - from);
        int sinOffset = rowOffset + width;
        for (int h = 0, b = base; h < heads; h++, b += headStride) {
            int j = from;
            for (; j < bound; j += LANES) {
                FloatVector v = FloatVector.fromArray(SPECIES, x, b + j);
                FloatVector cos = FloatVector.fromArray(SPECIES, row, rowOffset + j);
                FloatVector sin = FloatVector.fromArray(SPECIES, row, sinOffset + j);
                v.mul(cos).add(v.rearrange(SWAP_PAIRS).mul(sin)).intoArray(x, b + j);
            }
            for (; j < width; j += 2) {
                ScalarRopeKernel.rotatePair(x, b + j, b + j + 1, row[rowOffset + j], row[sinOffset + j + 1]);
            }
        }
    }

    /** As the array version; indices count floats, the blocks take byte offsets. */
    @Override
    void rotate(MemorySegment x, long base, int heads, long headStride, RopeLayout layout, int pairs,
                float[] row, int rowOffset) {
        long strideBytes = 4L * headStride;
        if (layout == RopeLayout.HALF) {
            int sinOffset = rowOffset + pairs;
            if (pairs == 4 * LANES && WIDE_REGISTER_FILE) {
                halfBlock4(x, 4L * base, heads, strideBytes, pairs, row, rowOffset, sinOffset);
            } else if (pairs == 2 * LANES) {
                halfBlock2(x, 4L * base, heads, strideBytes, pairs, row, rowOffset, sinOffset);
            } else if (pairs == COMMON_PAIRS) {
                halfCommon(x, base, heads, headStride, row, rowOffset);
            } else {
                halfRest(x, base, heads, headStride, pairs, row, rowOffset, 0);
            }
        } else {
            int width = 2 * pairs;
            int sinOffset = rowOffset + width;
            if (width == 8 * LANES && WIDE_REGISTER_FILE) {
                interleavedBlock8(x, 4L * base, heads, strideBytes, row, rowOffset, sinOffset);
            } else if (width == 4 * LANES) {
                interleavedBlock4(x, 4L * base, heads, strideBytes, row, rowOffset, sinOffset);
            } else if (pairs == COMMON_PAIRS) {
                interleavedCommon(x, base, heads, headStride, row, rowOffset);
            } else {
                interleavedRest(x, base, heads, headStride, width, row, rowOffset, 0);
            }
        }
    }

    private static void halfBlock4(MemorySegment x, long at, int heads, long strideBytes, int pairs, float[] row,
                                   int cosAt, int sinAt) {
        FloatVector c0 = FloatVector.fromArray(SPECIES, row, cosAt);
        FloatVector c1 = FloatVector.fromArray(SPECIES, row, cosAt + LANES);
        FloatVector c2 = FloatVector.fromArray(SPECIES, row, cosAt + 2 * LANES);
        FloatVector c3 = FloatVector.fromArray(SPECIES, row, cosAt + 3 * LANES);
        FloatVector s0 = FloatVector.fromArray(SPECIES, row, sinAt);
        FloatVector s1 = FloatVector.fromArray(SPECIES, row, sinAt + LANES);
        FloatVector s2 = FloatVector.fromArray(SPECIES, row, sinAt + 2 * LANES);
        FloatVector s3 = FloatVector.fromArray(SPECIES, row, sinAt + 3 * LANES);
        long p = at;
        for (int h = 0; h < heads; h++, p += strideBytes) {
            long q = p + 4L * pairs;
            FloatVector a0 = FloatVector.fromMemorySegment(SPECIES, x, p, ORDER);
            FloatVector a1 = FloatVector.fromMemorySegment(SPECIES, x, p + VECTOR_BYTES, ORDER);
            FloatVector a2 = FloatVector.fromMemorySegment(SPECIES, x, p + 2 * VECTOR_BYTES, ORDER);
            FloatVector a3 = FloatVector.fromMemorySegment(SPECIES, x, p + 3 * VECTOR_BYTES, ORDER);
            FloatVector b0 = FloatVector.fromMemorySegment(SPECIES, x, q, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(SPECIES, x, q + VECTOR_BYTES, ORDER);
            FloatVector b2 = FloatVector.fromMemorySegment(SPECIES, x, q + 2 * VECTOR_BYTES, ORDER);
            FloatVector b3 = FloatVector.fromMemorySegment(SPECIES, x, q + 3 * VECTOR_BYTES, ORDER);
            a0.mul(c0).sub(b0.mul(s0)).intoMemorySegment(x, p, ORDER);
            a1.mul(c1).sub(b1.mul(s1)).intoMemorySegment(x, p + VECTOR_BYTES, ORDER);
            a2.mul(c2).sub(b2.mul(s2)).intoMemorySegment(x, p + 2 * VECTOR_BYTES, ORDER);
            a3.mul(c3).sub(b3.mul(s3)).intoMemorySegment(x, p + 3 * VECTOR_BYTES, ORDER);
            b0.mul(c0).add(a0.mul(s0)).intoMemorySegment(x, q, ORDER);
            b1.mul(c1).add(a1.mul(s1)).intoMemorySegment(x, q + VECTOR_BYTES, ORDER);
            b2.mul(c2).add(a2.mul(s2)).intoMemorySegment(x, q + 2 * VECTOR_BYTES, ORDER);
            b3.mul(c3).add(a3.mul(s3)).intoMemorySegment(x, q + 3 * VECTOR_BYTES, ORDER);
        }
    }
    private static void halfBlock2(MemorySegment x, long at, int heads, long strideBytes, int pairs, float[] row,
                                   int cosAt, int sinAt) {
        FloatVector c0 = FloatVector.fromArray(SPECIES, row, cosAt);
        FloatVector c1 = FloatVector.fromArray(SPECIES, row, cosAt + LANES);
        FloatVector s0 = FloatVector.fromArray(SPECIES, row, sinAt);
        FloatVector s1 = FloatVector.fromArray(SPECIES, row, sinAt + LANES);
        long p = at;
        for (int h = 0; h < heads; h++, p += strideBytes) {
            long q = p + 4L * pairs;
            FloatVector a0 = FloatVector.fromMemorySegment(SPECIES, x, p, ORDER);
            FloatVector a1 = FloatVector.fromMemorySegment(SPECIES, x, p + VECTOR_BYTES, ORDER);
            FloatVector b0 = FloatVector.fromMemorySegment(SPECIES, x, q, ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(SPECIES, x, q + VECTOR_BYTES, ORDER);
            a0.mul(c0).sub(b0.mul(s0)).intoMemorySegment(x, p, ORDER);
            a1.mul(c1).sub(b1.mul(s1)).intoMemorySegment(x, p + VECTOR_BYTES, ORDER);
            b0.mul(c0).add(a0.mul(s0)).intoMemorySegment(x, q, ORDER);
            b1.mul(c1).add(a1.mul(s1)).intoMemorySegment(x, q + VECTOR_BYTES, ORDER);
        }
    }
    private static void interleavedBlock8(MemorySegment x, long at, int heads, long strideBytes, float[] row,
                                          int cosAt, int sinAt) {
        FloatVector c0 = FloatVector.fromArray(SPECIES, row, cosAt);
        FloatVector c1 = FloatVector.fromArray(SPECIES, row, cosAt + LANES);
        FloatVector c2 = FloatVector.fromArray(SPECIES, row, cosAt + 2 * LANES);
        FloatVector c3 = FloatVector.fromArray(SPECIES, row, cosAt + 3 * LANES);
        FloatVector c4 = FloatVector.fromArray(SPECIES, row, cosAt + 4 * LANES);
        FloatVector c5 = FloatVector.fromArray(SPECIES, row, cosAt + 5 * LANES);
        FloatVector c6 = FloatVector.fromArray(SPECIES, row, cosAt + 6 * LANES);
        FloatVector c7 = FloatVector.fromArray(SPECIES, row, cosAt + 7 * LANES);
        FloatVector s0 = FloatVector.fromArray(SPECIES, row, sinAt);
        FloatVector s1 = FloatVector.fromArray(SPECIES, row, sinAt + LANES);
        FloatVector s2 = FloatVector.fromArray(SPECIES, row, sinAt + 2 * LANES);
        FloatVector s3 = FloatVector.fromArray(SPECIES, row, sinAt + 3 * LANES);
        FloatVector s4 = FloatVector.fromArray(SPECIES, row, sinAt + 4 * LANES);
        FloatVector s5 = FloatVector.fromArray(SPECIES, row, sinAt + 5 * LANES);
        FloatVector s6 = FloatVector.fromArray(SPECIES, row, sinAt + 6 * LANES);
        FloatVector s7 = FloatVector.fromArray(SPECIES, row, sinAt + 7 * LANES);
        long p = at;
        for (int h = 0; h < heads; h++, p += strideBytes) {
            FloatVector v0 = FloatVector.fromMemorySegment(SPECIES, x, p, ORDER);
            FloatVector v1 = FloatVector.fromMemorySegment(SPECIES, x, p + VECTOR_BYTES, ORDER);
            FloatVector v2 = FloatVector.fromMemorySegment(SPECIES, x, p + 2 * VECTOR_BYTES, ORDER);
            FloatVector v3 = FloatVector.fromMemorySegment(SPECIES, x, p + 3 * VECTOR_BYTES, ORDER);
            v0.mul(c0).add(v0.rearrange(SWAP_PAIRS).mul(s0)).intoMemorySegment(x, p, ORDER);
            v1.mul(c1).add(v1.rearrange(SWAP_PAIRS).mul(s1)).intoMemorySegment(x, p + VECTOR_BYTES, ORDER);
            v2.mul(c2).add(v2.rearrange(SWAP_PAIRS).mul(s2)).intoMemorySegment(x, p + 2 * VECTOR_BYTES, ORDER);
            v3.mul(c3).add(v3.rearrange(SWAP_PAIRS).mul(s3)).intoMemorySegment(x, p + 3 * VECTOR_BYTES, ORDER);
            FloatVector v4 = FloatVector.fromMemorySegment(SPECIES, x, p + 4 * VECTOR_BYTES, ORDER);
            FloatVector v5 = FloatVector.fromMemorySegment(SPECIES, x, p + 5 * VECTOR_BYTES, ORDER);
            FloatVector v6 = FloatVector.fromMemorySegment(SPECIES, x, p + 6 * VECTOR_BYTES, ORDER);
            FloatVector v7 = FloatVector.fromMemorySegment(SPECIES, x, p + 7 * VECTOR_BYTES, ORDER);
            v4.mul(c4).add(v4.rearrange(SWAP_PAIRS).mul(s4)).intoMemorySegment(x, p + 4 * VECTOR_BYTES, ORDER);
            v5.mul(c5).add(v5.rearrange(SWAP_PAIRS).mul(s5)).intoMemorySegment(x, p + 5 * VECTOR_BYTES, ORDER);
            v6.mul(c6).add(v6.rearrange(SWAP_PAIRS).mul(s6)).intoMemorySegment(x, p + 6 * VECTOR_BYTES, ORDER);
            v7.mul(c7).add(v7.rearrange(SWAP_PAIRS).mul(s7)).intoMemorySegment(x, p + 7 * VECTOR_BYTES, ORDER);
        }
    }
    private static void interleavedBlock4(MemorySegment x, long at, int heads, long strideBytes, float[] row,
                                          int cosAt, int sinAt) {
        FloatVector c0 = FloatVector.fromArray(SPECIES, row, cosAt);
        FloatVector c1 = FloatVector.fromArray(SPECIES, row, cosAt + LANES);
        FloatVector c2 = FloatVector.fromArray(SPECIES, row, cosAt + 2 * LANES);
        FloatVector c3 = FloatVector.fromArray(SPECIES, row, cosAt + 3 * LANES);
        FloatVector s0 = FloatVector.fromArray(SPECIES, row, sinAt);
        FloatVector s1 = FloatVector.fromArray(SPECIES, row, sinAt + LANES);
        FloatVector s2 = FloatVector.fromArray(SPECIES, row, sinAt + 2 * LANES);
        FloatVector s3 = FloatVector.fromArray(SPECIES, row, sinAt + 3 * LANES);
        long p = at;
        for (int h = 0; h < heads; h++, p += strideBytes) {
            FloatVector v0 = FloatVector.fromMemorySegment(SPECIES, x, p, ORDER);
            FloatVector v1 = FloatVector.fromMemorySegment(SPECIES, x, p + VECTOR_BYTES, ORDER);
            FloatVector v2 = FloatVector.fromMemorySegment(SPECIES, x, p + 2 * VECTOR_BYTES, ORDER);
            FloatVector v3 = FloatVector.fromMemorySegment(SPECIES, x, p + 3 * VECTOR_BYTES, ORDER);
            v0.mul(c0).add(v0.rearrange(SWAP_PAIRS).mul(s0)).intoMemorySegment(x, p, ORDER);
            v1.mul(c1).add(v1.rearrange(SWAP_PAIRS).mul(s1)).intoMemorySegment(x, p + VECTOR_BYTES, ORDER);
            v2.mul(c2).add(v2.rearrange(SWAP_PAIRS).mul(s2)).intoMemorySegment(x, p + 2 * VECTOR_BYTES, ORDER);
            v3.mul(c3).add(v3.rearrange(SWAP_PAIRS).mul(s3)).intoMemorySegment(x, p + 3 * VECTOR_BYTES, ORDER);
        }
    }

    /*
     * The per-head loops over a segment go through a slice of the head's rotated span, so that each access is checked
     * against the slice, not the whole segment. For head_dim 128 (COMMON_PAIRS) they are methods of their own with
     * the width a constant (unlike the array loops these are too large for C2 to inline into rotate, where the
     * constant argument would do it): C2 then proves every access in bounds from the one check asSlice makes, the
     * slice is scalar-replaced, and no per-head loop nest remains. Indexing the whole segment costs each head a
     * long-index loop nest (pre-loop, limit computations). Measured on AVX2 with `bench rope --memory native` (4096
     * tokens of 32 + 8 heads, 2 MiB-aligned segments on 4 KiB pages): half 58% -> 87% of the in-place baseline and the
     * decoding step 912 -> 410 ns, interleaved 76% -> 81% and 1149 -> 873 ns.
     */

    /** {@link #halfRest(MemorySegment, long, int, long, int, float[], int, int)} for {@link #COMMON_PAIRS}. */
    private static void halfCommon(MemorySegment x, long base, int heads, long headStride, float[] row,
                                   int rowOffset) {
        int sinOffset = rowOffset + COMMON_PAIRS;
        long secondHalf = 4L * COMMON_PAIRS;
        long b = base;
        for (int h = 0; h < heads; h++, b += headStride) {
            MemorySegment head = x.asSlice(4L * b, 2 * secondHalf);
            for (int i = 0; i < COMMON_PAIRS; i += LANES) {
                halfPairs(head, 4L * i, secondHalf, row, rowOffset + i, sinOffset + i);
            }
        }
    }

    /** {@link #interleavedRest(MemorySegment, long, int, long, int, float[], int, int)} for {@link #COMMON_PAIRS}. */
    private static void interleavedCommon(MemorySegment x, long base, int heads, long headStride, float[] row,
                                          int rowOffset) {
        int width = 2 * COMMON_PAIRS;
        int sinOffset = rowOffset + width;
        long b = base;
        for (int h = 0; h < heads; h++, b += headStride) {
            MemorySegment head = x.asSlice(4L * b, 4L * width);
            for (int j = 0; j < width; j += LANES) {
                interleavedPairs(head, 4L * j, row, rowOffset + j, sinOffset + j);
            }
        }
    }

    /** One vector of pairs of a head slice, half layout: elements at byte {@code at} and {@code secondHalf} later. */
    private static void halfPairs(MemorySegment head, long at, long secondHalf, float[] row, int cosAt, int sinAt) {
        FloatVector cos = FloatVector.fromArray(SPECIES, row, cosAt);
        FloatVector sin = FloatVector.fromArray(SPECIES, row, sinAt);
        FloatVector x0 = FloatVector.fromMemorySegment(SPECIES, head, at, ORDER);
        FloatVector x1 = FloatVector.fromMemorySegment(SPECIES, head, at + secondHalf, ORDER);
        x0.mul(cos).sub(x1.mul(sin)).intoMemorySegment(head, at, ORDER);
        x1.mul(cos).add(x0.mul(sin)).intoMemorySegment(head, at + secondHalf, ORDER);
    }

    /** One vector of a head slice, interleaved layout, against the expanded row at {@code cosAt}, {@code sinAt}. */
    private static void interleavedPairs(MemorySegment head, long at, float[] row, int cosAt, int sinAt) {
        FloatVector v = FloatVector.fromMemorySegment(SPECIES, head, at, ORDER);
        FloatVector cos = FloatVector.fromArray(SPECIES, row, cosAt);
        FloatVector sin = FloatVector.fromArray(SPECIES, row, sinAt);
        v.mul(cos).add(v.rearrange(SWAP_PAIRS).mul(sin)).intoMemorySegment(head, at, ORDER);
    }

    /** As {@link #halfRest(float[], int, int, int, int, float[], int, int)}; float indices. */
    private static void halfRest(MemorySegment x, long base, int heads, long headStride, int pairs, float[] row,
                                 int rowOffset, int from) {
        int bound = from + SPECIES.loopBound(pairs - from);
        int sinOffset = rowOffset + pairs;
        long secondHalf = 4L * pairs;
        long b = base;
        for (int h = 0; h < heads; h++, b += headStride) {
            MemorySegment head = x.asSlice(4L * b, 2 * secondHalf);
            int i = from;
            for (; i < bound; i += LANES) {
                halfPairs(head, 4L * i, secondHalf, row, rowOffset + i, sinOffset + i);
            }
            for (; i < pairs; i++) {
                ScalarRopeKernel.rotatePair(head, i, pairs + i, row[rowOffset + i], row[sinOffset + i]);
            }
        }
    }

    /** As {@link #interleavedRest(float[], int, int, int, int, float[], int, int)}; float indices. */
    private static void interleavedRest(MemorySegment x, long base, int heads, long headStride, int width,
                                        float[] row, int rowOffset, int from) {
        int bound = from + SPECIES.loopBound(width - from);
        int sinOffset = rowOffset + width;
        long b = base;
        for (int h = 0; h < heads; h++, b += headStride) {
            MemorySegment head = x.asSlice(4L * b, 4L * width);
            int j = from;
            for (; j < bound; j += LANES) {
                interleavedPairs(head, 4L * j, row, rowOffset + j, sinOffset + j);
            }
            for (; j < width; j += 2) {
                ScalarRopeKernel.rotatePair(head, j, j + 1, row[rowOffset + j], row[sinOffset + j + 1]);
            }
        }
    }

    @Override
    double recurrenceRow(double[] cos, double[] sin, double[] stepCos, double[] stepSin, boolean step,
                         double scaling, float[] row, int offset) {
        int pairs = cos.length;
        int bound = DOUBLES.loopBound(pairs);
        DoubleVector margins = DoubleVector.broadcast(DOUBLES, Double.POSITIVE_INFINITY);
        int i = 0;
        for (; i < bound; i += DOUBLES.length()) {
            DoubleVector c = DoubleVector.fromArray(DOUBLES, cos, i);
            DoubleVector s = DoubleVector.fromArray(DOUBLES, sin, i);
            if (step) {
                DoubleVector sc = DoubleVector.fromArray(DOUBLES, stepCos, i);
                DoubleVector ss = DoubleVector.fromArray(DOUBLES, stepSin, i);
                DoubleVector nextCos = c.mul(sc).sub(s.mul(ss));
                DoubleVector nextSin = s.mul(sc).add(c.mul(ss));
                nextCos.intoArray(cos, i);
                nextSin.intoArray(sin, i);
                c = nextCos;
                s = nextSin;
            }
            DoubleVector scaledCos = c.mul(scaling);
            DoubleVector scaledSin = s.mul(scaling);
            FloatVector fc = (FloatVector) scaledCos.convertShape(VectorOperators.D2F, NARROW_FLOATS, 0);
            FloatVector fs = (FloatVector) scaledSin.convertShape(VectorOperators.D2F, NARROW_FLOATS, 0);
            fc.intoArray(row, offset + i);
            fs.intoArray(row, offset + pairs + i);
            margins = margins.min(midpointDistance(scaledCos, fc)).min(midpointDistance(scaledSin, fs));
        }
        double margin = margins.reduceLanes(VectorOperators.MIN);
        for (; i < pairs; i++) {
            double c = cos[i];
            double s = sin[i];
            if (step) {
                double nextCos = c * stepCos[i] - s * stepSin[i];
                double nextSin = s * stepCos[i] + c * stepSin[i];
                cos[i] = nextCos;
                sin[i] = nextSin;
                c = nextCos;
                s = nextSin;
            }
            float fc = (float) (c * scaling);
            float fs = (float) (s * scaling);
            row[offset + i] = fc;
            row[offset + pairs + i] = fs;
            margin = Math.min(margin, Math.min(ExactRowRecurrence.midpointDistance(c * scaling, fc),
                    ExactRowRecurrence.midpointDistance(s * scaling, fs)));
        }
        return margin;
    }

    /** {@link ExactRowRecurrence#midpointDistance} lane by lane. */
    private static DoubleVector midpointDistance(DoubleVector v, FloatVector f) {
        DoubleVector error = v.sub(f.convertShape(VectorOperators.F2D, DOUBLES, 0)).abs();
        FloatVector spacing = f.reinterpretAsInts().and(0x7F80_0000).max(ExactRowRecurrence.SPACING_FLOOR)
                .sub(ExactRowRecurrence.SPACING_SHIFT).reinterpretAsFloats();
        DoubleVector half = ((DoubleVector) spacing.convertShape(VectorOperators.F2D, DOUBLES, 0)).mul(0.5);
        return error.sub(half).abs().min(error.sub(half.mul(0.5)).abs());
    }

    /**
     * Interleaved rows are expanded into {@code scratch[o, o + 2p) = [c0, c0, c1, c1, ..]} and
     * {@code scratch[o + 2p, o + 4p) = [-s0, s0, -s1, s1, ..]} ({@code o = scratchOffset}); half rows are read as
     * they are.
     */
    @Override
    float[] prepare(RopeLayout layout, boolean bfloat16Pairs, int pairs, float[] row, int rowOffset, float[] scratch,
                    int scratchOffset) {
        if (bfloat16Pairs) {
            return row;
        }
        if (layout == RopeLayout.HALF) {
            return row;
        }
        int width = 2 * pairs;
        int bound = SPECIES.loopBound(pairs);
        int o = scratchOffset;
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector cos = FloatVector.fromArray(SPECIES, row, rowOffset + i);
            FloatVector sin = FloatVector.fromArray(SPECIES, row, rowOffset + pairs + i);
            cos.rearrange(DUPLICATE_LOW).intoArray(scratch, o + 2 * i);
            cos.rearrange(DUPLICATE_HIGH).intoArray(scratch, o + 2 * i + LANES);
            sin.rearrange(DUPLICATE_LOW).mul(ALTERNATE_SIGN).intoArray(scratch, o + width + 2 * i);
            sin.rearrange(DUPLICATE_HIGH).mul(ALTERNATE_SIGN).intoArray(scratch, o + width + 2 * i + LANES);
        }
        for (; i < pairs; i++) {
            float cos = row[rowOffset + i];
            float sin = row[rowOffset + pairs + i];
            scratch[o + 2 * i] = cos;
            scratch[o + 2 * i + 1] = cos;
            scratch[o + width + 2 * i] = -sin;
            scratch[o + width + 2 * i + 1] = sin;
        }
        return scratch;
    }

    @Override
    void rotate(short[] x, int base, int heads, int headStride, RopeLayout layout, int pairs,
                HalfFloat format, HalfArithmetic arithmetic, float[] row, int rowOffset, HalfScratch scratch) {
        if (arithmetic == HalfArithmetic.HF_FORWARD) {
            // the parity mode: through a heap segment, one loop for arrays and segments
            rotateEachOpRounded(MemorySegment.ofArray(x), base, heads, headStride, layout, pairs, format, row,
                    rowOffset);
        } else if (format == HalfFloat.FLOAT16) {
            throughFloats(x, base, heads, headStride, layout, pairs, row, rowOffset, scratch.floats);
        } else if (layout == RopeLayout.HALF) {
            halfBfloat16(x, base, heads, headStride, pairs, row, rowOffset);
        } else {
            interleavedBfloat16Pairs(x, base, heads, headStride, pairs, row, rowOffset);
        }
    }

    @Override
    void rotate(MemorySegment x, long base, int heads, long headStride, RopeLayout layout, int pairs,
                HalfFloat format, HalfArithmetic arithmetic, float[] row, int rowOffset, HalfScratch scratch) {
        if (arithmetic == HalfArithmetic.HF_FORWARD) {
            rotateEachOpRounded(x, base, heads, headStride, layout, pairs, format, row, rowOffset);
            return;
        }
        if (format == HalfFloat.BFLOAT16) {
            if (layout == RopeLayout.HALF) {
                halfBfloat16(x, base, heads, headStride, pairs, row, rowOffset);
            } else {
                interleavedBfloat16Pairs(x, base, heads, headStride, pairs, row, rowOffset);
            }
            return;
        }
        // the rotated columns of every head copied into a short[] (one copy if the heads are contiguous), rotated
        // there, copied back
        int width = 2 * pairs;
        boolean contiguous = headStride == width;
        int runs = contiguous ? 1 : heads;
        int run = contiguous ? heads * width : width;
        short[] bits = scratch.bits;
        long b = base;
        for (int h = 0; h < runs; h++, b += headStride) {
            MemorySegment.copy(x, ValueLayout.JAVA_SHORT, 2L * b, bits, h * run, run);
        }
        throughFloats(bits, 0, heads, width, layout, pairs, row, rowOffset, scratch.floats);
        b = base;
        for (int h = 0; h < runs; h++, b += headStride) {
            MemorySegment.copy(bits, h * run, x, ValueLayout.JAVA_SHORT, 2L * b, run);
        }
    }

    /**
     * float16 with FLOAT32 arithmetic: the rotated columns of all heads of the token widened into {@code floats}
     * (one pass if the heads are contiguous), rotated there by the float kernel, narrowed back with one rounding
     * each: the float kernel's operations on the widened values, so the same bits as the scalar oracle. The
     * conversions are plain {@code Float.float16ToFloat}/{@code floatToFloat16} loops, which C2 compiles to the
     * CPU's own conversion instructions (F16C {@code vcvtph2ps}/{@code vcvtps2ph} on x86; the Vector API has no
     * float16 conversion, and converting in integer lanes was several times slower); a token holding a NaN is
     * narrowed by {@link HalfFloat#fromFloat} for torch's NaN. The previous version, the same loops per head with a
     * scratch allocated per call, ran at 20% of the in-place baseline on AVX2; this one at 33%, near the ceiling
     * the instructions leave (bench rope's compute ceiling, 36-39%).
     */
    private void throughFloats(short[] x, int base, int heads, int headStride, RopeLayout layout, int pairs,
                               float[] row, int rowOffset, float[] floats) {
        int width = 2 * pairs;
        boolean contiguous = headStride == width;
        int runs = contiguous ? 1 : heads;
        int run = contiguous ? heads * width : width;
        for (int h = 0, b = base, at = 0; h < runs; h++, b += headStride, at += run) {
            widenFloat16(x, b, run, floats, at);
        }
        rotate(floats, 0, heads, width, layout, pairs, row, rowOffset);
        boolean nan = containsNaN(floats, heads * width);
        for (int h = 0, b = base, at = 0; h < runs; h++, b += headStride, at += run) {
            if (nan) {
                for (int j = 0; j < run; j++) {
                    x[b + j] = HalfFloat.FLOAT16.fromFloat(floats[at + j]);
                }
            } else {
                narrowFloat16(floats, at, x, b, run);
            }
        }
    }

    private static void widenFloat16(short[] x, int from, int n, float[] out, int at) {
        for (int j = 0; j < n; j++) {
            out[at + j] = Float.float16ToFloat(x[from + j]);
        }
    }

    private static void narrowFloat16(float[] in, int at, short[] x, int from, int n) {
        for (int j = 0; j < n; j++) {
            x[from + j] = Float.floatToFloat16(in[at + j]);
        }
    }

    private static boolean containsNaN(float[] in, int width) {
        int bound = SPECIES.loopBound(width);
        int j = 0;
        for (; j < bound; j += LANES) {
            if (FloatVector.fromArray(SPECIES, in, j).test(VectorOperators.IS_NAN).anyTrue()) {
                return true;
            }
        }
        for (; j < width; j++) {
            if (Float.isNaN(in[j])) {
                return true;
            }
        }
        return false;
    }

    /*
     * Interleaved bfloat16 with FLOAT32 arithmetic, in one pass: a vector of 2*LANES shorts reinterpreted as LANES
     * ints holds one pair in each int lane (x0, the even-indexed element, in the low half, x1 in the high half: the
     * Vector API's little-endian lane order), against the compact cos/sin row. Widening is a shift (x0) or a mask
     * (x1), narrowing c10's round to nearest even on each float, the two halves merged back into one int: no lane
     * conversions or shuffles.
     * The half layout would need the row's even and odd entries apart and did not compile well that way (C2 stops
     * inlining the Vector API calls of a loop body that large, NodeCountInliningCutoff, and the vectors are boxed),
     * so it converts LANES shorts to int lanes. The same float operations per element as the scalar kernel.
     */

    private static void halfBfloat16(MemorySegment x, long base, int heads, long headStride, int pairs, float[] row,
                                     int rowOffset) {
        int bound = SPECIES.loopBound(pairs);
        int sinOffset = rowOffset + pairs;
        long secondHalf = 2L * pairs;
        long b = base;
        for (int h = 0; h < heads; h++, b += headStride) {
            long bytes = 2L * b;
            int i = 0;
            for (; i < bound; i += LANES) {
                long at = bytes + 2L * i;
                FloatVector cos = FloatVector.fromArray(SPECIES, row, rowOffset + i);
                FloatVector sin = FloatVector.fromArray(SPECIES, row, sinOffset + i);
                FloatVector x0 = bfloat16ToFloat(load(x, at));
                FloatVector x1 = bfloat16ToFloat(load(x, at + secondHalf));
                store(floatToBfloat16(x0.mul(cos).sub(x1.mul(sin))), x, at);
                store(floatToBfloat16(x1.mul(cos).add(x0.mul(sin))), x, at + secondHalf);
            }
            for (; i < pairs; i++) {
                ScalarRopeKernel.rotatePair(x, b + i, b + pairs + i, row[rowOffset + i], row[sinOffset + i],
                        HalfFloat.BFLOAT16, false);
            }
        }
    }

    private static void halfBfloat16(short[] x, int base, int heads, int headStride, int pairs, float[] row,
                                     int rowOffset) {
        int bound = SPECIES.loopBound(pairs);
        int sinOffset = rowOffset + pairs;
        int secondHalf = pairs;
        for (int h = 0, b = base; h < heads; h++, b += headStride) {
            int i = 0;
            for (; i < bound; i += LANES) {
                int at = b + i;
                FloatVector cos = FloatVector.fromArray(SPECIES, row, rowOffset + i);
                FloatVector sin = FloatVector.fromArray(SPECIES, row, sinOffset + i);
                FloatVector x0 = bfloat16ToFloat(load(x, at));
                FloatVector x1 = bfloat16ToFloat(load(x, at + secondHalf));
                store(floatToBfloat16(x0.mul(cos).sub(x1.mul(sin))), x, at);
                store(floatToBfloat16(x1.mul(cos).add(x0.mul(sin))), x, at + secondHalf);
            }
            for (; i < pairs; i++) {
                ScalarRopeKernel.rotatePair(x, b + i, b + pairs + i, row[rowOffset + i], row[sinOffset + i],
                        HalfFloat.BFLOAT16, false);
            }
        }
    }

    private static void interleavedBfloat16Pairs(short[] x, int base, int heads, int headStride, int pairs,
                                                 float[] row, int rowOffset) {
        int bound = SPECIES.loopBound(pairs);
        int sinOffset = rowOffset + pairs;
        for (int h = 0, b = base; h < heads; h++, b += headStride) {
            int i = 0;
            for (; i < bound; i += LANES) {
                IntVector v = ShortVector.fromArray(PAIRED_SHORTS, x, b + 2 * i).reinterpretAsInts();
                rotateInterleavedPairs(v, row, rowOffset + i, sinOffset + i).reinterpretAsShorts()
                        .intoArray(x, b + 2 * i);
            }
            for (; i < pairs; i++) {
                ScalarRopeKernel.rotatePair(x, b + 2 * i, b + 2 * i + 1, row[rowOffset + i], row[sinOffset + i],
                        HalfFloat.BFLOAT16, false);
            }
        }
    }

    private static void interleavedBfloat16Pairs(MemorySegment x, long base, int heads, long headStride, int pairs,
                                                 float[] row, int rowOffset) {
        int bound = SPECIES.loopBound(pairs);
        int sinOffset = rowOffset + pairs;
        long b = base;
        for (int h = 0; h < heads; h++, b += headStride) {
            long bytes = 2L * b;
            int i = 0;
            for (; i < bound; i += LANES) {
                long at = bytes + 4L * i;
                IntVector v = ShortVector.fromMemorySegment(PAIRED_SHORTS, x, at, ORDER).reinterpretAsInts();
                rotateInterleavedPairs(v, row, rowOffset + i, sinOffset + i).reinterpretAsShorts()
                        .intoMemorySegment(x, at, ORDER);
            }
            for (; i < pairs; i++) {
                ScalarRopeKernel.rotatePair(x, b + 2 * i, b + 2 * i + 1, row[rowOffset + i], row[sinOffset + i],
                        HalfFloat.BFLOAT16, false);
            }
        }
    }

    /** {@code LANES} interleaved pairs, one per int lane of {@code v}, against the compact row. */
    private static IntVector rotateInterleavedPairs(IntVector v, float[] row, int cosAt, int sinAt) {
        FloatVector cos = FloatVector.fromArray(SPECIES, row, cosAt);
        FloatVector sin = FloatVector.fromArray(SPECIES, row, sinAt);
        FloatVector x0 = lowBfloat16(v);
        FloatVector x1 = highBfloat16(v);
        return mergeBfloat16(x0.mul(cos).sub(x1.mul(sin)), x1.mul(cos).add(x0.mul(sin)));
    }

    /** The bfloat16 in the low half of each int lane, widened. */
    private static FloatVector lowBfloat16(IntVector v) {
        return v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** The bfloat16 in the high half of each int lane, widened. */
    private static FloatVector highBfloat16(IntVector v) {
        return v.and(0xFFFF_0000).reinterpretAsFloats();
    }

    /** {@code low} and {@code high} rounded to bfloat16 (as {@link #floatToBfloat16}), in one int lane each pair. */
    private static IntVector mergeBfloat16(FloatVector low, FloatVector high) {
        return roundedBfloat16(low).lanewise(VectorOperators.LSHR, 16).or(roundedBfloat16(high).and(0xFFFF_0000));
    }

    /**
     * Each lane rounded to bfloat16 in its upper 16 bits (the lower 16 are not cleared): c10's round to nearest
     * even, NaN as 0x7FC0.
     */
    private static IntVector roundedBfloat16(FloatVector v) {
        IntVector w = v.reinterpretAsInts();
        IntVector rounded = w.add(w.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7FFF);
        return rounded.blend(0x7FC0_0000, w.and(0x7FFF_FFFF).compare(VectorOperators.GT, 0x7F80_0000));
    }

    /** {@code LANES} shorts at byte offset {@code at}, sign-extended to int lanes. */
    private static IntVector load(MemorySegment x, long at) {
        return (IntVector) ShortVector.fromMemorySegment(SHORTS, x, at, ORDER).convertShape(VectorOperators.S2I, INTS, 0);
    }


    /** {@code LANES} shorts from {@code x[at]}, sign-extended to int lanes. */
    private static IntVector load(short[] x, int at) {
        return (IntVector) ShortVector.fromArray(SHORTS, x, at).convertShape(VectorOperators.S2I, INTS, 0);
    }

    /** The low 16 bits of each lane of {@code h}, stored as {@code LANES} shorts from {@code x[at]}. */
    private static void store(IntVector h, short[] x, int at) {
        ((ShortVector) h.convertShape(VectorOperators.I2S, SHORTS, 0)).intoArray(x, at);
    }

    /** The low 16 bits of each lane of {@code h}, stored as {@code LANES} shorts at byte offset {@code at}. */
    private static void store(IntVector h, MemorySegment x, long at) {
        ((ShortVector) h.convertShape(VectorOperators.I2S, SHORTS, 0)).intoMemorySegment(x, at, ORDER);
    }


    /** {@link HalfArithmetic#HF_FORWARD}: every product and sum rounded to the format. */
    private static void rotateEachOpRounded(MemorySegment x, long base, int heads, long headStride, RopeLayout layout,
                                            int pairs, HalfFloat format, float[] row, int rowOffset) {
        boolean bf16 = format == HalfFloat.BFLOAT16;
        if (layout == RopeLayout.HALF) {
            int bound = SPECIES.loopBound(pairs);
            int sinOffset = rowOffset + pairs;
            long secondHalf = 2L * pairs;
            long b = base;
            for (int h = 0; h < heads; h++, b += headStride) {
                long bytes = 2L * b;
                int i = 0;
                for (; i < bound; i += LANES) {
                    long at = bytes + 2L * i;
                    FloatVector cos = FloatVector.fromArray(SPECIES, row, rowOffset + i);
                    FloatVector sin = FloatVector.fromArray(SPECIES, row, sinOffset + i);
                    FloatVector x0 = widen(ShortVector.fromMemorySegment(SHORTS, x, at, ORDER), bf16);
                    FloatVector x1 = widen(ShortVector.fromMemorySegment(SHORTS, x, at + secondHalf, ORDER), bf16);
                    narrow(roundedFirst(x0, x1, cos, sin, bf16), bf16).intoMemorySegment(x, at, ORDER);
                    narrow(roundedSecond(x0, x1, cos, sin, bf16), bf16).intoMemorySegment(x, at + secondHalf, ORDER);
                }
                for (; i < pairs; i++) {
                    ScalarRopeKernel.rotatePair(x, b + i, b + pairs + i, row[rowOffset + i], row[sinOffset + i],
                            format, true);
                }
            }
        } else {
            int width = 2 * pairs;
            int sinOffset = rowOffset + width;
            int bound = SPECIES.loopBound(width);
            long b = base;
            for (int h = 0; h < heads; h++, b += headStride) {
                long bytes = 2L * b;
                int j = 0;
                for (; j < bound; j += LANES) {
                    long at = bytes + 2L * j;
                    FloatVector v = widen(ShortVector.fromMemorySegment(SHORTS, x, at, ORDER), bf16);
                    FloatVector cos = FloatVector.fromArray(SPECIES, row, rowOffset + j);
                    FloatVector sin = FloatVector.fromArray(SPECIES, row, sinOffset + j);
                    narrow(roundedInterleaved(v, cos, sin, bf16), bf16).intoMemorySegment(x, at, ORDER);
                }
                for (; j < width; j += 2) {
                    ScalarRopeKernel.rotatePair(x, b + j, b + j + 1, row[rowOffset + j], row[sinOffset + j + 1],
                            format, true);
                }
            }
        }
    }

    /** {@code r(r(x0*cos) - r(x1*sin))}, {@code r} rounding to the format. */
    private static FloatVector roundedFirst(FloatVector x0, FloatVector x1, FloatVector cos, FloatVector sin,
                                            boolean bf16) {
        return round(x0.mul(cos), bf16).sub(round(x1.mul(sin), bf16));
    }

    /** {@code r(r(x1*cos) + r(x0*sin))}. */
    private static FloatVector roundedSecond(FloatVector x0, FloatVector x1, FloatVector cos, FloatVector sin,
                                             boolean bf16) {
        return round(x1.mul(cos), bf16).add(round(x0.mul(sin), bf16));
    }

    /** {@code r(r(x*cosDup) + r(swapPairs(x)*sinAlt))}. */
    private static FloatVector roundedInterleaved(FloatVector v, FloatVector cos, FloatVector sin, boolean bf16) {
        return round(v.mul(cos), bf16).add(round(v.rearrange(SWAP_PAIRS).mul(sin), bf16));
    }

    private static FloatVector widen(ShortVector bits, boolean bf16) {
        IntVector h = (IntVector) bits.convertShape(VectorOperators.S2I, INTS, 0);
        return bf16 ? bfloat16ToFloat(h) : float16ToFloat(h);
    }

    private static ShortVector narrow(FloatVector v, boolean bf16) {
        IntVector h = bf16 ? floatToBfloat16(v) : floatToFloat16(v);
        return (ShortVector) h.convertShape(VectorOperators.I2S, SHORTS, 0);
    }

    /** {@code v} rounded to the format and widened back ({@link HalfFloat#round}). */
    private static FloatVector round(FloatVector v, boolean bf16) {
        return bf16 ? bfloat16ToFloat(floatToBfloat16(v)) : float16ToFloat(floatToFloat16(v));
    }

    /** The low 16 bits of each lane as a bfloat16, widened: the bits shifted into the upper half. */
    static FloatVector bfloat16ToFloat(IntVector h) {
        return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** Round to nearest even on the 16 dropped bits; NaN becomes 0x7FC0 (c10 {@code round_to_nearest_even}). */
    static IntVector floatToBfloat16(FloatVector v) {
        IntVector w = v.reinterpretAsInts();
        IntVector rounded = w.add(w.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7FFF)
                .lanewise(VectorOperators.LSHR, 16);
        VectorMask<Integer> nan = w.and(0x7FFF_FFFF).compare(VectorOperators.GT, 0x7F80_0000);
        return rounded.blend(0x7FC0, nan);
    }

    /**
     * The low 16 bits of each lane as an IEEE binary16, widened exactly: normal values by moving the exponent and
     * fraction into place and rescaling by 2^-112 (which also carries infinities and NaNs), subnormals as
     * as {@code (0.5 + m·2^-24) - 0.5}: the fraction placed under the exponent of 0.5, minus 0.5, exact
     * (fp16_ieee_to_fp32_value).
     */
    static FloatVector float16ToFloat(IntVector h) {
        IntVector sign = h.lanewise(VectorOperators.LSHL, 16).and(0x8000_0000);
        IntVector twoW = h.lanewise(VectorOperators.LSHL, 17);
        FloatVector normalized = twoW.lanewise(VectorOperators.LSHR, 4).add(0x7000_0000).reinterpretAsFloats()
                .mul(0x1p-112f);
        FloatVector denormalized = twoW.lanewise(VectorOperators.LSHR, 17).or(0x3F00_0000).reinterpretAsFloats()
                .sub(0.5f);
        VectorMask<Integer> subnormal = h.and(0x7C00).compare(VectorOperators.EQ, 0);
        IntVector magnitude = normalized.reinterpretAsInts().blend(denormalized.reinterpretAsInts(), subnormal);
        return sign.or(magnitude).reinterpretAsFloats();
    }

    /**
     * Each lane rounded to an IEEE binary16 (nearest even) in the low 16 bits: the float's magnitude is scaled so
     * that adding a power of two of its own exponent plus 13 rounds away exactly the bits binary16 lacks (float
     * addition does the rounding), overflow reaching infinity through the first scaling; NaN becomes
     * {@code sign | 0x7E00} (fp16_ieee_from_fp32_value).
     */
    static IntVector floatToFloat16(FloatVector v) {
        IntVector w = v.reinterpretAsInts();
        IntVector magnitudeBits = w.and(0x7FFF_FFFF);
        // the float's exponent field, at least that of 2^-14 (binary16's smallest normal); signed lane comparisons
        // only (the unsigned ones of the reference are not intrinsics on every JDK 25 target)
        IntVector exponent = w.and(0x7F80_0000).max(0x3880_0000);
        FloatVector base = magnitudeBits.reinterpretAsFloats().mul(0x1p112f).mul(0x1p-110f);
        base = exponent.add(0x0780_0000).reinterpretAsFloats().add(base);
        IntVector bits = base.reinterpretAsInts();
        IntVector nonsign = bits.lanewise(VectorOperators.LSHR, 13).and(0x7C00).add(bits.and(0x0FFF));
        VectorMask<Integer> nan = magnitudeBits.compare(VectorOperators.GT, 0x7F80_0000);
        return w.lanewise(VectorOperators.LSHR, 16).and(0x8000).or(nonsign.blend(0x7E00, nan));
    }
}
