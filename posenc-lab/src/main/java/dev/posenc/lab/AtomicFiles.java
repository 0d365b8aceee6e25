package dev.posenc.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files so that nothing is ever half-written: the bytes go to a temporary file in the same folder, which then
 * replaces the target in one rename. Shared by the lab (checkpoints, results, plots) and the CLI's outputs.
 * Stateless, thread-safe.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Writes {@code content} to {@code target}, creating its folder; the file is {@code rw-r--r--} where the file
     * system has POSIX permissions.
     *
     * @throws UncheckedIOException naming {@code target} if it cannot be written (the target is then unchanged)
     */
    public static void write(Path target, byte[] content) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
            try {
                if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                    // createTempFile makes the file private (rw-------); an output file is as readable as any other.
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                }
                Files.write(tmp, content);
                try {
                    Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot write: " + reason(e), e);
        }
    }

    /** Why {@code e} happened, without the temporary file's name that file system exceptions carry. */
    private static String reason(IOException e) {
        return switch (e) {
            case FileSystemException f when f.getReason() != null -> f.getReason();
            case AccessDeniedException f -> "permission denied";
            case NoSuchFileException f -> "no such file or folder";
            case FileAlreadyExistsException f -> f.getFile() + " is not a folder";
            case FileSystemException f -> f.getClass().getSimpleName();
            default -> String.valueOf(e.getMessage());
        };
    }
}
