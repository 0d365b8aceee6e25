package dev.posenc.cli;

import dev.posenc.lab.AtomicFiles;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the CLI's output files so that nothing is ever half-written ({@link AtomicFiles#write}: the bytes go to a
 * temporary file in the same folder, which then replaces the target in one rename, {@code rw-r--r--}). A failure
 * is an {@link OutputException} naming the user's file, never the temporary one.
 */
public final class OutputFiles {
    private OutputFiles() {}

    public static void write(Path target, byte[] content) {
        if (Files.isDirectory(target)) {
            throw new OutputException(target + ": cannot write: it is a folder", null);
        }
        try {
            AtomicFiles.write(target, content);
        } catch (UncheckedIOException e) {
            throw new OutputException(e.getMessage(), e);
        }
    }

    public static void writeString(Path target, String content) {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }
}
