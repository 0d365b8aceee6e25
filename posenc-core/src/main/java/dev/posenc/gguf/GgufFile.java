package dev.posenc.gguf;

import dev.posenc.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The header of a GGUF file (ggml's model format; versions 2 and 3, either byte order): its metadata and where
 * each tensor lies. Only the header is read; {@link #readF32(String)} fetches one F32 tensor by its offset, so a
 * file of any size inspects in the time its header takes.
 *
 * <pre>{@code
 * GgufFile gguf = GgufFile.read(Path.of("Llama-3.1-8B-Q4_K_M.gguf"));
 * String arch = gguf.string("general.architecture").orElseThrow();
 * Optional<float[]> ff = gguf.tensor("rope_freqs.weight").map(t -> gguf.readF32(t.name()));
 * }</pre>
 *
 * <p>A malformed file is a {@link ConfigException} whose one-line message names the file, the byte offset and
 * what was expected there, e.g. {@code model.gguf: byte 24: expected a key-value count of at most 61 (what the 736
 * bytes left can hold), got 4294967296}. What the reader keeps is bounded by constants, not by the counts a file
 * claims: long arrays (vocabularies) and long strings are checked and skipped ({@link GgufValue.Skipped}).
 * Immutable.
 *
 * @param path the file
 * @param source the file as messages name it
 * @param version 2 or 3
 * @param byteOrder the byte order of every number in the file
 * @param alignment {@code general.alignment} (a power of two), 32 when absent
 * @param dataOffset the byte offset of the tensor data section
 * @param fileSize the file's size in bytes
 * @param metadata the key-value pairs in file order
 * @param tensors the tensor infos in file order
 * @param headerBytesRead how many bytes reading the header fetched from the file
 */
public record GgufFile(Path path, String source, int version, ByteOrder byteOrder, int alignment, long dataOffset,
                       long fileSize, Map<String, GgufValue> metadata, List<GgufTensorInfo> tensors,
                       long headerBytesRead) {

    /** Arrays with more elements are checked and skipped, not kept. */
    public static final int MAX_ARRAY_ELEMENTS = 1 << 16;
    /** Strings with more bytes are checked and skipped, not kept. */
    public static final int MAX_STRING_BYTES = 1 << 20;
    /** The most the kept metadata may cost (key and string bytes, 32 per kept array element). */
    public static final long MAX_KEPT_BYTES = 16L << 20;
    /** The largest F32 tensor {@link #readF32(String)} reads (rope factor tensors hold head_dim/2 values). */
    public static final int MAX_F32_READ = 1 << 20;

    public GgufFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(byteOrder, "byteOrder");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** Reads the header of {@code file}; messages name it as given. */
    public static GgufFile read(Path file) {
        Objects.requireNonNull(file, "file");
        return read(file, file.toString());
    }

    /**
     * Reads the header of {@code file}; messages name it {@code source} (an upload kept in a temporary file is
     * named by the name it was uploaded under, not by the temporary path).
     */
    public static GgufFile read(Path file, String source) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(source, "source");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new GgufReader(source, channel).read(file);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    /** The value of {@code key}, if present. */
    public Optional<GgufValue> value(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    /** The STRING value of {@code key}, if present (a value of another type is an error). */
    public Optional<String> string(String key) {
        return value(key).map(v -> {
            if (v instanceof GgufValue.Text t) {
                return t.value();
            }
            throw typeError(key, "a STRING", v);
        });
    }

    /** The tensor named {@code name}, if present. */
    public Optional<GgufTensorInfo> tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** {@code s} for a one-line message: control characters escaped, at most 300 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 300; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 || c == 0x85) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return s.length() > 300 && b.length() >= 300 ? b + "…" : b.toString();
    }

    ConfigException typeError(String key, String expected, GgufValue got) {
        return new ConfigException(source + ": " + printable(key) + ": expected " + expected + ", got "
                + got.type() + " " + printable(got.toString()));
    }

    /**
     * The values of the F32 tensor {@code name}, read from its offset (of at most {@link #MAX_F32_READ} elements).
     *
     * @throws ConfigException when there is no such tensor, it is not F32 or too large, or the file changed
     */
    public float[] readF32(String name) {
        GgufTensorInfo t = tensor(name).orElseThrow(() -> new ConfigException(source + ": tensor " + name
                + ": expected it in the file, got no such tensor"));
        if (t.type() != GgmlType.F32 || t.elementCount() > MAX_F32_READ) {
            throw new ConfigException(source + ": byte " + t.fileOffset() + ": tensor " + name + ": expected F32 "
                    + "with at most " + MAX_F32_READ + " elements, got " + t.type() + " "
                    + java.util.Arrays.toString(t.dims()));
        }
        ByteBuffer buf = ByteBuffer.allocate((int) t.byteSize()).order(byteOrder);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                if (channel.read(buf, t.fileOffset() + buf.position()) < 0) {
                    throw new ConfigException(source + ": byte " + (t.fileOffset() + buf.position()) + ": tensor "
                            + name + ": expected " + t.byteSize() + " bytes of data, got the end of the file");
                }
            }
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read tensor " + name + ": " + e.getMessage(), e);
        }
        buf.flip();
        float[] out = new float[(int) t.elementCount()];
        buf.asFloatBuffer().get(out);
        return out;
    }
}
