package dev.posenc.cli.explore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * A GGUF file uploaded to {@code POST /api/model}, recognised by its magic {@code "GGUF"}, kept in a private
 * temporary file (owner-only permissions where the file system has them) for as long as one answer takes and deleted
 * by {@link #close()}: the GGUF reader reads the header and the rope factor tensors from a file, never the weights.
 *
 * <p>The body may end with the config.json to audit the file against: {@code against_bytes=K} says that its last
 * {@code K} bytes are that config (at most {@value ExploreServer#MAX_UPLOAD_BYTES}); they are cut off the file and
 * kept in memory. The GGUF itself may have at most {@value #MAX_BYTES} bytes (vocab-only and converted files without
 * weights have a few KB; a multi-GB model file is for {@code posenc inspect MODEL.gguf}).
 *
 * <p>Not thread-safe; one instance belongs to one request.
 */
final class GgufUpload implements AutoCloseable {
    /** The largest GGUF accepted, beside the config.json it may carry. */
    static final long MAX_BYTES = 64L << 20;
    private static final byte[] MAGIC = {'G', 'G', 'U', 'F'};
    static final int MAGIC_LENGTH = MAGIC.length;

    private final Path file;
    private final byte[] against;

    private GgufUpload(Path file, byte[] against) {
        this.file = file;
        this.against = against;
    }

    /** Whether a body starting with {@code head} is a GGUF file. */
    static boolean isGguf(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Writes the body ({@code head}, then the rest of {@code in}) to a private temporary file.
     *
     * @param againstBytes how many bytes at the end of the body are a config.json (0: none)
     * @throws ExploreServer.TooLarge when the GGUF has more than {@link #MAX_BYTES} bytes (nothing is kept)
     */
    static GgufUpload receive(byte[] head, InputStream in, long againstBytes) throws IOException {
        Path file = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile("posenc-explore-", ".gguf",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile("posenc-explore-", ".gguf");
        try {
            long limit = MAX_BYTES + againstBytes;
            long size = head.length;
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(head);
                byte[] buffer = new byte[1 << 16];
                for (int n; size <= limit && (n = in.read(buffer)) > 0; size += n) {
                    out.write(buffer, 0, n);
                }
            }
            if (size > limit) {
                throw new ExploreServer.TooLarge("upload too large: a GGUF of at most " + MAX_BYTES + " bytes ("
                        + (MAX_BYTES >> 20) + " MiB) is read here; inspect a larger model file with posenc inspect "
                        + "MODEL.gguf");
            }
            if (againstBytes >= size) {
                throw new IllegalArgumentException("against_bytes: expected fewer than the " + size
                        + " bytes uploaded, got " + againstBytes);
            }
            return new GgufUpload(file, cutTail(file, size, (int) againstBytes));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Reads and removes the last {@code n} bytes of {@code file} ({@code size} bytes); null when {@code n} is 0. */
    private static byte[] cutTail(Path file, long size, int n) throws IOException {
        if (n == 0) {
            return null;
        }
        ByteBuffer tail = ByteBuffer.allocate(n);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            while (tail.hasRemaining()) {
                if (channel.read(tail, size - n + tail.position()) < 0) {
                    throw new IOException(file + ": shorter than the " + size + " bytes just written");
                }
            }
            channel.truncate(size - n);
        }
        return tail.array();
    }

    /** The temporary file holding the GGUF (valid until {@link #close()}). */
    Path file() {
        return file;
    }

    /** The config.json that came with the file, or null. */
    byte[] against() {
        return against;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
