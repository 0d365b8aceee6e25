package dev.posenc.gguf;

/** The metadata value types of GGUF ({@code gguf.h}, {@code enum gguf_type}), by their stored id. */
public enum GgufType {
    UINT8(1), INT8(1), UINT16(2), INT16(2), UINT32(4), INT32(4), FLOAT32(4), BOOL(1), STRING(8), ARRAY(12),
    UINT64(8), INT64(8), FLOAT64(8);

    private final int minBytes;

    GgufType(int minBytes) {
        this.minBytes = minBytes;
    }

    /** The fewest bytes one value of this type occupies (a string's length, an array's type and count). */
    int minBytes() {
        return minBytes;
    }

    /** The type with this id, or null when GGUF has none. */
    static GgufType byId(long id) {
        return id >= 0 && id < values().length ? values()[(int) id] : null;
    }
}
