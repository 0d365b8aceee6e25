package dev.posenc.logits;

/**
 * Where the queries and keys of one attention call sit: query {@code i} at position {@code firstQueryPosition + i},
 * key {@code j} at position {@code j}. Self-attention over a whole sequence has {@code firstQueryPosition = 0} and
 * equal lengths; decoding with a key/value cache has {@code firstQueryPosition = keyLength − queryLength}.
 *
 * @param queryLength number of queries, {@code >= 1}
 * @param keyLength number of keys (and values), {@code >= 1}
 * @param firstQueryPosition position of query 0, {@code >= 0}
 */
public record AttentionPositions(int queryLength, int keyLength, int firstQueryPosition) {
    public AttentionPositions {
        if (queryLength < 1 || keyLength < 1) {
            throw new IllegalArgumentException("query and key lengths must be >= 1, got " + queryLength + ", " + keyLength);
        }
        if (firstQueryPosition < 0) {
            throw new IllegalArgumentException("the first query position must be >= 0, got " + firstQueryPosition);
        }
    }

    /** Self-attention over {@code length} tokens from position 0. */
    public static AttentionPositions selfAttention(int length) {
        return new AttentionPositions(length, length, 0);
    }

    /** The position of query {@code i}. */
    public int queryPosition(int i) {
        return firstQueryPosition + i;
    }

    /** The smallest {@code keyPosition − queryPosition} of the call. */
    public int minRelativePosition() {
        return -(firstQueryPosition + queryLength - 1);
    }

    /** The largest {@code keyPosition − queryPosition} of the call. */
    public int maxRelativePosition() {
        return keyLength - 1 - firstQueryPosition;
    }
}
