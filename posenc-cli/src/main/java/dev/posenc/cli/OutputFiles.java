package dev.posenc.cli;

import dev.posenc.lab.AtomicFiles;
import java.nio.file.Path;

/**
 * Writes output files so that nothing is ever half-written: the bytes go to a temporary file in the same folder,
 * which then replaces the target in one rename.
 */
public final class OutputFiles {
    private OutputFiles() {}

    /** {@link AtomicFiles#write}: the target is replaced in one rename, {@code rw-r--r--}. */
    public static void write(Path target, byte[] content) {
        AtomicFiles.write(target, content);
    }

    public static void writeString(Path target, String content) {
        write(target, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
