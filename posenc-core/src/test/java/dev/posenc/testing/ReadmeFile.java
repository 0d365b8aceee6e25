package dev.posenc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's README.md, found from the working directory of the tests (a module folder or the root). Shared with
 * the other modules' tests through posenc-core's test jar.
 */
public final class ReadmeFile {
    private ReadmeFile() {}

    public static List<String> lines() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path readme = dir.resolve("README.md");
            if (Files.isRegularFile(readme) && Files.isRegularFile(dir.resolve("posenc-core/pom.xml"))) {
                try {
                    return Files.readAllLines(readme);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("README.md of the project not found above " + Path.of("").toAbsolutePath());
    }

    /** The bodies of the README's fenced blocks of {@code language} (```java), in order. */
    public static List<String> fencedBlocks(String language) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines()) {
            if (current == null && line.strip().equals("```" + language)) {
                current = new StringBuilder();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    /** The lines strictly between the two markers. */
    public static List<String> between(String start, String end) {
        List<String> all = lines();
        int from = all.indexOf(start);
        int to = all.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException("README.md: markers " + start + " ... " + end + " not found");
        }
        return all.subList(from + 1, to);
    }
}
