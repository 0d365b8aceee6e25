package dev.posenc.querykey;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
 * <p>The head loop steps the head's base index ({@code b += headStride}) rather than computing
 * {@code base + h * headStride}: on JDK 25 C2 the multiplied form ran the 80 MiB benchmark shape at about 25 GB/s,
 * the stepped form at about 40 GB/s on the same machine (same memory order, same instructions in the inner loop).
 */
final class VectorRopeKernel extends RopeKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(SPECIES, i -> i ^ 1);
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Lane {@code j} takes lane {@code j / 2}: {@code [a, b, ..] -> [a, a, b, b, ..]} (the first half). */
    private static final VectorShuffle<Float> DUPLICATE_LOW = VectorShuffle.fromOp(SPECIES, j -> j / 2);
    /** Lane {@code j} takes lane {@code LANES/2 + j / 2} (the second half, duplicated). */
    private static final VectorShuffle<Float> DUPLICATE_HIGH = VectorShuffle.fromOp(SPECIES, j -> LANES / 2 + j / 2);
    /** {@code [-1, 1, -1, 1, ..]}: negates the even copy of each sine; multiplying by it is exact. */
    private static final FloatVector ALTERNATE_SIGN =
            FloatVector.broadcast(SPECIES, 1f).blend(-1f, VectorMask.fromLong(SPECIES, 0x5555_5555_5555_5555L));

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }

    @Override
    void rotate(float[] x, int base, int heads, int headStride, RopeLayout layout, int pairs,
                float[] row, int rowOffset) {
        if (layout == RopeLayout.HALF) {
            int bound = SPECIES.loopBound(pairs);
            int sinOffset = rowOffset + pairs;
            for (int h = 0, b = base; h < heads; h++, b += headStride) {
                int i = 0;
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
        } else {
            int width = 2 * pairs;
            int sinOffset = rowOffset + width;
            int bound = SPECIES.loopBound(width);
            for (int h = 0, b = base; h < heads; h++, b += headStride) {
                int j = 0;
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
    }

    @Override
    void rotate(MemorySegment x, long base, int heads, long headStride, RopeLayout layout, int pairs,
                float[] row, int rowOffset) {
        if (layout == RopeLayout.HALF) {
            int bound = SPECIES.loopBound(pairs);
            int sinOffset = rowOffset + pairs;
            long secondHalf = 4L * pairs;
            long b = base;
            for (int h = 0; h < heads; h++, b += headStride) {
                long bytes = 4L * b;
                int i = 0;
                for (; i < bound; i += LANES) {
                    long at = bytes + 4L * i;
                    FloatVector cos = FloatVector.fromArray(SPECIES, row, rowOffset + i);
                    FloatVector sin = FloatVector.fromArray(SPECIES, row, sinOffset + i);
                    FloatVector x0 = FloatVector.fromMemorySegment(SPECIES, x, at, ORDER);
                    FloatVector x1 = FloatVector.fromMemorySegment(SPECIES, x, at + secondHalf, ORDER);
                    x0.mul(cos).sub(x1.mul(sin)).intoMemorySegment(x, at, ORDER);
                    x1.mul(cos).add(x0.mul(sin)).intoMemorySegment(x, at + secondHalf, ORDER);
                }
                for (; i < pairs; i++) {
                    ScalarRopeKernel.rotatePair(x, b + i, b + pairs + i, row[rowOffset + i], row[sinOffset + i]);
                }
            }
        } else {
            int width = 2 * pairs;
            int sinOffset = rowOffset + width;
            int bound = SPECIES.loopBound(width);
            long b = base;
            for (int h = 0; h < heads; h++, b += headStride) {
                long bytes = 4L * b;
                int j = 0;
                for (; j < bound; j += LANES) {
                    long at = bytes + 4L * j;
                    FloatVector v = FloatVector.fromMemorySegment(SPECIES, x, at, ORDER);
                    FloatVector cos = FloatVector.fromArray(SPECIES, row, rowOffset + j);
                    FloatVector sin = FloatVector.fromArray(SPECIES, row, sinOffset + j);
                    v.mul(cos).add(v.rearrange(SWAP_PAIRS).mul(sin)).intoMemorySegment(x, at, ORDER);
                }
                for (; j < width; j += 2) {
                    ScalarRopeKernel.rotatePair(x, b + j, b + j + 1, row[rowOffset + j], row[sinOffset + j + 1]);
                }
            }
        }
    }

    /**
     * Interleaved rows are expanded into {@code scratch[0, 2p) = [c0, c0, c1, c1, ..]} and
     * {@code scratch[2p, 4p) = [-s0, s0, -s1, s1, ..]}; half rows are read as they are.
     */
    @Override
    float[] prepare(RopeLayout layout, int pairs, float[] row, int rowOffset, float[] scratch) {
        if (layout == RopeLayout.HALF) {
            return row;
        }
        int width = 2 * pairs;
        int bound = SPECIES.loopBound(pairs);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector cos = FloatVector.fromArray(SPECIES, row, rowOffset + i);
            FloatVector sin = FloatVector.fromArray(SPECIES, row, rowOffset + pairs + i);
            cos.rearrange(DUPLICATE_LOW).intoArray(scratch, 2 * i);
            cos.rearrange(DUPLICATE_HIGH).intoArray(scratch, 2 * i + LANES);
            sin.rearrange(DUPLICATE_LOW).mul(ALTERNATE_SIGN).intoArray(scratch, width + 2 * i);
            sin.rearrange(DUPLICATE_HIGH).mul(ALTERNATE_SIGN).intoArray(scratch, width + 2 * i + LANES);
        }
        for (; i < pairs; i++) {
            float cos = row[rowOffset + i];
            float sin = row[rowOffset + pairs + i];
            scratch[2 * i] = cos;
            scratch[2 * i + 1] = cos;
            scratch[width + 2 * i] = -sin;
            scratch[width + 2 * i + 1] = sin;
        }
        return scratch;
    }
}
