package dev.posenc.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the shared folder of real Hugging Face configs (never copied into the project): env
 * {@code POSENC_HF_CONFIGS}, else {@code ../shared/hf-configs} or {@code shared/hf-configs} in an ancestor of the
 * working directory, else {@code /work/shared/hf-configs}. Tests that need it are skipped when it is absent.
 *
 * <p>Shared with the other modules' tests through posenc-core's test jar.
 */
public final class HfConfigsFolder {
    private HfConfigsFolder() {}

    public static Optional<Path> find() {
        String env = System.getenv("POSENC_HF_CONFIGS");
        if (env != null && !env.isBlank()) {
            return existing(Path.of(env));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("../shared/hf-configs"), dir.resolve("shared/hf-configs")}) {
                if (Files.isDirectory(candidate)) {
                    return Optional.of(candidate.normalize());
                }
            }
        }
        return existing(Path.of("/work/shared/hf-configs"));
    }

    private static Optional<Path> existing(Path p) {
        return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
}
