package dev.posenc.querykey;

/**
 * Where the heads of one query or key tensor lie in a flat float buffer (a {@code float[]}, or a
 * {@code MemorySegment} of {@code JAVA_FLOAT}s): head {@code h} of token {@code t} starts at element
 * {@code offset + t * tokenStride + h * headStride}, and its {@code head_dim} elements are contiguous.
 *
 * <p>All values count floats, not bytes. Common layouts:
 * <ul>
 *   <li>{@link #tokenMajor}: {@code [tokens][heads][head_dim]}, what a projection {@code x @ W_q} produces and what
 *       inference engines keep (llama.cpp, vLLM);
 *   <li>{@link #headMajor}: {@code [heads][tokens][head_dim]}, Hugging Face's {@code (batch, heads, seq, head_dim)}
 *       after {@code .transpose(1, 2)};
 *   <li>a fused QKV buffer {@code [tokens][(H + 2K) * head_dim]}: query {@code (H, 0, (H+2K)·d, d)}, key
 *       {@code (K, H·d, (H+2K)·d, d)}.
 * </ul>
 *
 * @param heads number of heads, {@code >= 1}
 * @param offset element index of head 0 of token 0, {@code >= 0}
 * @param tokenStride elements from one token to the next, {@code >= 0}
 * @param headStride elements from one head to the next within a token, {@code >= 0}
 */
public record HeadStrides(int heads, long offset, long tokenStride, long headStride) {

    public HeadStrides {
        if (heads < 1) {
            throw new IllegalArgumentException("heads must be >= 1, got " + heads);
        }
        if (offset < 0 || tokenStride < 0 || headStride < 0) {
            throw new IllegalArgumentException("offset and strides must be >= 0, got offset=" + offset
                    + ", token_stride=" + tokenStride + ", head_stride=" + headStride);
        }
    }

    /** {@code [tokens][heads][headDim]}, densely packed, from element 0. */
    public static HeadStrides tokenMajor(int heads, int headDim) {
        return new HeadStrides(heads, 0, (long) heads * headDim, headDim);
    }

    /** {@code [heads][tokens][headDim]}, densely packed, from element 0. */
    public static HeadStrides headMajor(int heads, int tokens, int headDim) {
        return new HeadStrides(heads, 0, headDim, (long) tokens * headDim);
    }

    /** The same strides starting at another element. */
    public HeadStrides withOffset(long offset) {
        return new HeadStrides(heads, offset, tokenStride, headStride);
    }

    /**
     * Checks that {@code tokens} tokens of {@code headDim}-wide heads fit in a buffer of {@code length} floats and
     * that no two heads overlap (the strides must nest: the smaller stride at least {@code headDim}, the larger at
     * least the span of the smaller dimension).
     *
     * @param name how errors call the tensor ({@code "query"}, {@code "key"})
     * @throws IllegalArgumentException naming the tensor and the first violated condition
     */
    void check(String name, int tokens, int headDim, long length) {
        long tokensSpan = tokens > 1 ? tokenStride : Long.MAX_VALUE;
        long headsSpan = heads > 1 ? headStride : Long.MAX_VALUE;
        long inner = Math.min(tokensSpan, headsSpan);
        long outer = Math.max(tokensSpan, headsSpan);
        int innerCount = inner == tokensSpan && tokens > 1 ? tokens : heads;
        if (inner != Long.MAX_VALUE) {
            if (inner < headDim) {
                throw new IllegalArgumentException(name + ": " + (inner == tokensSpan ? "token_stride" : "head_stride")
                        + "=" + inner + " is less than head_dim=" + headDim + ", so heads overlap");
            }
            if (outer != Long.MAX_VALUE && outer < (innerCount - 1) * inner + headDim) {
                throw new IllegalArgumentException(name + ": token_stride=" + tokenStride + " and head_stride="
                        + headStride + " make heads of different tokens overlap (" + tokens + " tokens, " + heads
                        + " heads of " + headDim + ")");
            }
        }
        long last;
        try {
            last = Math.addExact(Math.addExact(offset, Math.multiplyExact(tokens - 1L, tokenStride)),
                    Math.addExact(Math.multiplyExact(heads - 1L, headStride), headDim));
        } catch (ArithmeticException e) {
            last = Long.MAX_VALUE;
        }
        if (last > length) {
            throw new IllegalArgumentException(name + ": " + tokens + " tokens x " + heads + " heads of " + headDim
                    + " with offset=" + offset + ", token_stride=" + tokenStride + ", head_stride=" + headStride
                    + " need " + (last == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(last))
                    + " floats, the buffer has " + length);
        }
    }
    /**
     * The first head of these strides and the first head of {@code other} whose rotated columns share a float, or
     * {@code null} if none do: exact, element by element, so the query and key of a fused QKV buffer, which
     * interleave in one buffer without sharing a float, are disjoint. Both must have passed {@link #check} for
     * {@code tokens} tokens and a {@code head_dim} of at least {@code width}.
     *
     * @param shift element 0 of {@code other} lies {@code shift} floats after element 0 of these strides (both index
     *     the same memory)
     * @param width rotated columns per head ({@code rotary_dim}), the floats a rotation reads and writes
     * @return {@code {token, head, otherToken, otherHead}}
     */
    int[] firstSharedHead(HeadStrides other, long shift, int tokens, int width) {
        Walk a = new Walk(this, tokens, 0);
        Walk b = new Walk(other, tokens, shift);
        if (a.last() + width <= b.first() || b.last() + width <= a.first()) {
            return null;
        }
        // Each walk visits its heads in increasing address order, [start, start + width) disjoint from the next:
        // a merge of two sorted interval lists, advancing the one that ends first.
        while (!a.done() && !b.done()) {
            long sa = a.start();
            long sb = b.start();
            if (sa + width <= sb) {
                a.next();
            } else if (sb + width <= sa) {
                b.next();
            } else {
                return new int[] {a.token(), a.head(), b.token(), b.head()};
            }
        }
        return null;
    }

    /**
     * The heads of one tensor in increasing address order: the dimension with the smaller stride (among those with
     * more than one entry) inside the other, which {@link #check} guarantees nests without overlap.
     */
    private static final class Walk {
        private final long base;
        private final boolean tokensInner;
        private final int innerCount;
        private final int outerCount;
        private final long innerStride;
        private final long outerStride;
        private int inner;
        private int outer;

        Walk(HeadStrides strides, int tokens, long shift) {
            base = strides.offset + shift;
            tokensInner = tokens > 1 && (strides.heads == 1 || strides.tokenStride < strides.headStride);
            innerCount = tokensInner ? tokens : strides.heads;
            outerCount = tokensInner ? strides.heads : tokens;
            innerStride = tokensInner ? strides.tokenStride : strides.headStride;
            outerStride = tokensInner ? strides.headStride : strides.tokenStride;
        }

        long first() {
            return base;
        }

        /** The first float of the last head. */
        long last() {
            return base + (innerCount - 1L) * innerStride + (outerCount - 1L) * outerStride;
        }

        boolean done() {
            return outer >= outerCount;
        }

        long start() {
            return base + inner * innerStride + outer * outerStride;
        }

        void next() {
            if (++inner == innerCount) {
                inner = 0;
                outer++;
            }
        }

        int token() {
            return tokensInner ? inner : outer;
        }

        int head() {
            return tokensInner ? outer : inner;
        }
    }
}
