package dev.posenc.gguf;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's entry in a GGUF header: where its data lies, never the data.
 *
 * @param name the tensor name, e.g. {@code rope_freqs.weight}
 * @param dims the dimensions {@code ne[0..n_dims)}, fastest first, each {@code >= 0}
 * @param type the element type
 * @param fileOffset the absolute byte offset of its data in the file (the data section start plus the stored,
 *     aligned, offset)
 * @param byteSize its data size in bytes
 */
public record GgufTensorInfo(String name, long[] dims, GgmlType type, long fileOffset, long byteSize) {
    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** The number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && name.equals(t.name) && Arrays.equals(dims, t.dims)
                && type == t.type && fileOffset == t.fileOffset && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(dims), type, fileOffset, byteSize);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims) + " @" + fileOffset;
    }
}
