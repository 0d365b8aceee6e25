package dev.posenc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The small example configs bundled as resources ({@code dev/posenc/cli/examples/}, listed in {@code index.txt};
 * see the README beside them for where each value comes from). The config loader reads files, so the examples are
 * copied once per run into a temporary folder that is deleted when the JVM exits.
 */
public final class ExampleConfigs {
    private static final String FOLDER = "/dev/posenc/cli/examples/";
    private static Path extracted;

    private ExampleConfigs() {}

    /** The bundled file names, in the order the report shows them. */
    public static List<String> names() {
        return read("index.txt").lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** A folder holding every bundled example. */
    public static synchronized Path folder() {
        if (extracted == null) {
            try {
                Path dir = Files.createTempDirectory("posenc-examples");
                dir.toFile().deleteOnExit();
                for (String name : names()) {
                    Path file = dir.resolve(name);
                    Files.writeString(file, read(name));
                    file.toFile().deleteOnExit();
                }
                extracted = dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract the bundled example configs: " + e.getMessage(), e);
            }
        }
        return extracted;
    }

    /** The path of one bundled example. */
    public static Path path(String name) {
        return folder().resolve(name);
    }

    private static String read(String name) {
        try (InputStream in = ExampleConfigs.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("bundled example missing: " + FOLDER + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
