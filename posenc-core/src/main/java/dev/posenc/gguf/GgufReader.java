package dev.posenc.gguf;

import dev.posenc.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a GGUF header from a {@link FileChannel}, checking every count and length against the bytes left before
 * it allocates anything, so memory stays bounded by the file size (and by the caps of {@link GgufFile}) whatever
 * the counts claim.
 *
 * <h2>Implementation notes</h2>
 * The layout is ggml's {@code gguf.cpp} ({@code gguf_init_from_file_impl}): magic {@code GGUF}; u32 version; u64
 * tensor count; u64 key-value count; the key-value pairs (u64-length string key, u32 type, value; an array is a u32
 * element type, a u64 count, the elements); the tensor infos (name, u32 n_dims ≤ 4, u64 ne[n_dims], u32 ggml type,
 * u64 offset); padding to {@code general.alignment}; the data. ggml's rules enforced as it does: keys and tensor
 * names unique, names shorter than 64 bytes ({@code GGML_MAX_NAME}), {@code ne[0]} a multiple of the block size,
 * the element count and byte size within int64, each offset exactly the previous tensors' padded sizes (so offsets
 * are in order and do not overlap). In addition the data of every tensor must lie inside the file. A v3 file has
 * no byte-order flag: the version reads as 2 or 3 in exactly one byte order, and that order is the file's.
 *
 * <p>Bytes come through one 64 KiB window; {@link #bytesRead()} counts what was fetched from the channel. Not
 * thread-safe; one instance per read.
 */
final class GgufReader {
    /** Arrays nest at most this deep (each level costs 12 bytes, so a hostile file could nest millions deep). */
    static final int MAX_ARRAY_DEPTH = 16;

    private static final int WINDOW = 1 << 16;
    /** The heap an array element costs when kept (a small object and its reference), for the budget. */
    private static final long ELEMENT_COST = 32;
    private static final int GGML_MAX_DIMS = 4;
    private static final int GGML_MAX_NAME = 64;
    private static final int DEFAULT_ALIGNMENT = 32;

    private final String source;
    private final FileChannel channel;
    private final long fileSize;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW);
    private long windowStart;
    private long lastStringLength;
    /** What the kept values may still cost, in bytes: strings count their length, array elements {@code ELEMENT_COST}. */
    private long budget = GgufFile.MAX_KEPT_BYTES;
    private long bytesRead;

    GgufReader(String source, FileChannel channel) throws IOException {
        this.source = source;
        this.channel = channel;
        this.fileSize = channel.size();
        window.limit(0);
    }

    long bytesRead() {
        return bytesRead;
    }

    private long position() {
        return windowStart + window.position();
    }

    private ConfigException error(long offset, String expected, String got) {
        return new ConfigException(source + ": byte " + offset + ": expected " + GgufFile.printable(expected)
                + ", got " + GgufFile.printable(got));
    }

    /** Makes {@code n <= WINDOW} bytes available, or fails naming {@code what} at the current offset. */
    private void need(int n, String what) throws IOException {
        if (window.remaining() >= n) {
            return;
        }
        long at = position();
        if (fileSize - at < n) {
            throw error(at, what + " (" + n + " bytes)", "the end of the file (" + (fileSize - at) + " bytes left)");
        }
        window.compact();
        while (window.position() < n) {
            int r = channel.read(window, at + window.position());
            if (r < 0) {
                throw error(at, what, "the end of the file");
            }
            bytesRead += r;
        }
        window.flip();
        windowStart = at;
    }

    private void skip(long n, String what) throws IOException {
        long at = position();
        if (n > fileSize - at) {
            throw error(at, what + " (" + n + " bytes)", "the end of the file (" + (fileSize - at) + " bytes left)");
        }
        if (n <= window.remaining()) {
            window.position(window.position() + (int) n);
        } else {
            windowStart = at + n;
            window.limit(0);
        }
    }

    private long remaining() {
        return fileSize - position();
    }

    private int u32(String what) throws IOException {
        need(4, what);
        return window.getInt();
    }

    private long u64(String what) throws IOException {
        need(8, what);
        return window.getLong();
    }

    /** A u64 count of items of at least {@code minBytes} each that must fit in the rest of the file. */
    private long count(String what, int minBytes) throws IOException {
        long at = position();
        long n = u64(what);
        if (n < 0 || n > remaining() / minBytes) {
            throw error(at, what + " of at most " + remaining() / minBytes + " (what the " + remaining()
                    + " bytes left can hold)", Long.toUnsignedString(n));
        }
        return n;
    }

    private byte[] bytes(int n, String what) throws IOException {
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            int chunk = Math.min(WINDOW, n - done);
            need(chunk, what);
            window.get(out, done, chunk);
            done += chunk;
        }
        return out;
    }

    /** A string whose length must fit in the file; null when longer than {@code cap} bytes (then skipped). */
    private String string(String what, long cap) throws IOException {
        long at = position();
        long n = u64(what + " length");
        if (n < 0 || n > remaining()) {
            throw error(at, what + " length of at most " + remaining() + " (the bytes left)",
                    Long.toUnsignedString(n));
        }
        lastStringLength = n;
        if (n > cap) {
            skip(n, what);
            return null;
        }
        return new String(bytes((int) n, what), StandardCharsets.UTF_8);
    }

    GgufFile read(java.nio.file.Path path) throws IOException {
        need(8, "the GGUF header");
        byte[] magic = new byte[4];
        window.get(magic);
        if (magic[0] != 'G' || magic[1] != 'G' || magic[2] != 'U' || magic[3] != 'F') {
            throw error(0, "the magic \"GGUF\" (47 47 55 46)", String.format("%02x %02x %02x %02x",
                    magic[0], magic[1], magic[2], magic[3]));
        }
        int le = window.order(ByteOrder.LITTLE_ENDIAN).getInt(4);
        int be = Integer.reverseBytes(le);
        ByteOrder order;
        int version;
        if (le == 2 || le == 3) {
            order = ByteOrder.LITTLE_ENDIAN;
            version = le;
        } else if (be == 2 || be == 3) {
            order = ByteOrder.BIG_ENDIAN;
            version = be;
        } else {
            throw error(4, "GGUF version 2 or 3 (in either byte order)", le == 1 || be == 1 ? "version 1"
                    : Integer.toUnsignedString(le) + " (little-endian) / " + Integer.toUnsignedString(be)
                            + " (big-endian)");
        }
        window.order(order);
        window.position(8);
        long tensorCount = count("a tensor count", 24);
        long kvCount = count("a key-value count", 12);

        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long keyAt = position();
            String key = string("key " + i, GgufFile.MAX_STRING_BYTES);
            if (key == null) {
                throw error(keyAt, "a key of at most " + GgufFile.MAX_STRING_BYTES + " bytes", "a longer one");
            }
            budget -= lastStringLength + ELEMENT_COST;
            if (budget < 0) {
                throw error(keyAt, "metadata keys and kept values within " + GgufFile.MAX_KEPT_BYTES + " bytes",
                        "more at key " + i);
            }
            if (metadata.containsKey(key)) {
                throw error(keyAt, "unique keys", "a second \"" + key + "\"");
            }
            GgufType type = type("the type of \"" + key + "\"");
            metadata.put(key, value(type, key, 0));
        }

        int alignment = DEFAULT_ALIGNMENT;
        GgufValue a = metadata.get("general.alignment");
        if (a != null) {
            if (!(a instanceof GgufValue.Int ai) || ai.type() != GgufType.UINT32 || ai.value() == 0
                    || Long.bitCount(ai.value()) != 1) {
                throw new ConfigException(source + ": general.alignment: expected a UINT32 power of two, got "
                        + a.type() + " " + a);
            }
            alignment = (int) ai.value();
        }

        List<long[]> rawOffsets = new ArrayList<>();
        List<Object[]> partial = new ArrayList<>();
        Map<String, Boolean> names = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            long nameAt = position();
            String name = string("the name of tensor " + i, GGML_MAX_NAME - 1);
            if (name == null) {
                throw error(nameAt, "a tensor name shorter than " + GGML_MAX_NAME + " bytes", "a longer one");
            }
            if (names.put(name, Boolean.TRUE) != null) {
                throw error(nameAt, "unique tensor names", "a second \"" + name + "\"");
            }
            long dimsAt = position();
            int nDims = u32("the dimension count of " + name);
            if (nDims < 1 || nDims > GGML_MAX_DIMS) {
                throw error(dimsAt, "a dimension count in [1, " + GGML_MAX_DIMS + "] for " + name,
                        Integer.toUnsignedString(nDims));
            }
            long[] dims = new long[nDims];
            for (int d = 0; d < nDims; d++) {
                long dimAt = position();
                dims[d] = u64("ne[" + d + "] of " + name);
                if (dims[d] < 0) {
                    throw error(dimAt, "ne[" + d + "] of " + name + " below 2^63", Long.toUnsignedString(dims[d]));
                }
            }
            long typeAt = position();
            int typeId = u32("the type of " + name);
            GgmlType type = GgmlType.byId(Integer.toUnsignedLong(typeId));
            if (type == null) {
                throw error(typeAt, "a ggml tensor type for " + name, "type id " + Integer.toUnsignedString(typeId));
            }
            if (dims[0] % type.blockSize() != 0) {
                throw error(dimsAt, "ne[0] of " + name + " a multiple of " + type + "'s block size "
                        + type.blockSize(), Long.toString(dims[0]));
            }
            long bytes;
            try {
                long elements = 1;
                for (long d : dims) {
                    elements = Math.multiplyExact(elements, d);
                }
                bytes = Math.multiplyExact(elements / type.blockSize(), (long) type.typeSize());
            } catch (ArithmeticException e) {
                throw error(dimsAt, "dimensions of " + name + " whose size fits in 2^63 bytes",
                        java.util.Arrays.toString(dims));
            }
            long offsetAt = position();
            long offset = u64("the data offset of " + name);
            rawOffsets.add(new long[] {offsetAt, offset, bytes});
            partial.add(new Object[] {name, dims, type});
        }
        long dataStart = align(position(), alignment);

        List<GgufTensorInfo> tensors = new ArrayList<>();
        long expected = 0;
        for (int i = 0; i < partial.size(); i++) {
            long[] r = rawOffsets.get(i);
            String name = (String) partial.get(i)[0];
            if (r[1] != expected) {
                throw error(r[0], "data offset " + expected + " for " + name + " (tensors in order, each padded to "
                        + alignment + " bytes)", Long.toUnsignedString(r[1]));
            }
            long end = dataStart + r[1] + r[2];
            if (dataStart + r[1] < 0 || end < 0 || end > fileSize) {
                throw error(r[0], "the data of " + name + " (" + r[2] + " bytes at byte " + (dataStart + r[1])
                        + ") inside the file", "a file of " + fileSize + " bytes");
            }
            tensors.add(new GgufTensorInfo(name, (long[]) partial.get(i)[1], (GgmlType) partial.get(i)[2],
                    dataStart + r[1], r[2]));
            expected = align(r[1] + r[2], alignment);
        }
        return new GgufFile(path, source, version, order, alignment, dataStart, fileSize, metadata, tensors,
                bytesRead);
    }

    private static long align(long x, int alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    private GgufType type(String what) throws IOException {
        long at = position();
        int id = u32(what);
        GgufType type = GgufType.byId(Integer.toUnsignedLong(id));
        if (type == null) {
            throw error(at, what + ": a GGUF value type 0-12", Integer.toUnsignedString(id));
        }
        return type;
    }

    private GgufValue value(GgufType type, String key, int depth) throws IOException {
        return switch (type) {
            case UINT8 -> { need(1, key); yield new GgufValue.Int(type, Byte.toUnsignedLong(window.get())); }
            case INT8 -> { need(1, key); yield new GgufValue.Int(type, window.get()); }
            case UINT16 -> { need(2, key); yield new GgufValue.Int(type, Short.toUnsignedLong(window.getShort())); }
            case INT16 -> { need(2, key); yield new GgufValue.Int(type, window.getShort()); }
            case UINT32 -> new GgufValue.Int(type, Integer.toUnsignedLong(u32(key)));
            case INT32 -> new GgufValue.Int(type, u32(key));
            case UINT64, INT64 -> new GgufValue.Int(type, u64(key));
            case FLOAT32 -> new GgufValue.Real(type, Float.intBitsToFloat(u32(key)));
            case FLOAT64 -> new GgufValue.Real(type, Double.longBitsToDouble(u64(key)));
            case BOOL -> {
                long at = position();
                need(1, key);
                byte b = window.get();
                if (b != 0 && b != 1) {
                    throw error(at, key + ": a BOOL 0 or 1", Integer.toString(Byte.toUnsignedInt(b)));
                }
                yield new GgufValue.Bool(b == 1);
            }
            case STRING -> {
                String s = string(key, Math.min(GgufFile.MAX_STRING_BYTES, budget));
                if (s == null) {
                    yield new GgufValue.Skipped(GgufType.STRING, null, lastStringLength);
                }
                budget -= lastStringLength;
                yield new GgufValue.Text(s);
            }
            case ARRAY -> {
                long at = position();
                if (depth >= MAX_ARRAY_DEPTH) {
                    throw error(at, key + ": arrays nested at most " + MAX_ARRAY_DEPTH + " deep", "deeper");
                }
                GgufType element = type(key + ": the element type");
                long n = count(key + ": an element count", element.minBytes());
                if (n > GgufFile.MAX_ARRAY_ELEMENTS || n * ELEMENT_COST > budget) {
                    for (long i = 0; i < n; i++) {
                        skipValue(element, key, depth + 1);
                    }
                    yield new GgufValue.Skipped(GgufType.ARRAY, element, n);
                }
                budget -= n * ELEMENT_COST;
                List<GgufValue> elements = new ArrayList<>((int) n);
                for (long i = 0; i < n; i++) {
                    elements.add(value(element, key, depth + 1));
                }
                yield new GgufValue.Array(element, elements);
            }
        };
    }

    private void skipValue(GgufType type, String key, int depth) throws IOException {
        switch (type) {
            case STRING -> {
                long at = position();
                long n = u64(key + " length");
                if (n < 0 || n > remaining()) {
                    throw error(at, key + " length of at most " + remaining() + " (the bytes left)",
                            Long.toUnsignedString(n));
                }
                skip(n, key);
            }
            case ARRAY -> value(type, key, depth);
            case BOOL -> value(type, key, depth);
            default -> skip(type.minBytes(), key);
        }
    }
}
