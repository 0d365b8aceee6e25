package dev.posenc.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheTargetReadableByAllAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("sub/out.json");
        AtomicFiles.write(target, new byte[] {1, 2});
        AtomicFiles.write(target, new byte[] {3});
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(target));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (var files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "only the target is left");
        }
    }

    @Test
    void aTargetThatCannotBeReplacedIsAnErrorNamingItAndStaysAsItWas() throws Exception {
        Path target = dir.resolve("taken");
        Files.createDirectories(target.resolve("child"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, new byte[] {1}));
        assertTrue(e.getMessage().startsWith(target + ": cannot write"), e.getMessage());
        assertTrue(Files.isDirectory(target.resolve("child")));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left");
        }
    }
}
