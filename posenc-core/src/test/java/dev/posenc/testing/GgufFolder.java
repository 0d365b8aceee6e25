package dev.posenc.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the shared folder of GGUF fixtures (llama.cpp vocab files, converter-written files, ggml rope dumps) (never copied into the project): env
 * {@code POSENC_GGUF}, else {@code ../shared/gguf} or {@code shared/gguf} in an ancestor of the
 * working directory, else {@code /work/shared/gguf}. Tests that need it are skipped when it is absent.
 *
 * <p>Shared with the other modules' tests through posenc-core's test jar.
 */
public final class GgufFolder {
    private GgufFolder() {}

    public static Optional<Path> find() {
        String env = System.getenv("POSENC_GGUF");
        if (env != null && !env.isBlank()) {
            return existing(Path.of(env));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("../shared/gguf"), dir.resolve("shared/gguf")}) {
                if (Files.isDirectory(candidate)) {
                    return Optional.of(candidate.normalize());
                }
            }
        }
        return existing(Path.of("/work/shared/gguf"));
    }

    private static Optional<Path> existing(Path p) {
        return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
}
