package dev.posenc.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posenc.cli.JsonOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The lab's results, when a lab run has left them: {@code DIR/summary.json}, the object {@code posenc lab --json}
 * prints ({@code {"experiments": {...}}}). The report shows whatever experiments it holds.
 */
public final class LabResults {
    /** Where {@code posenc lab} writes by default, relative to the working directory. */
    public static final Path DEFAULT_DIR = Path.of("out", "lab");
    public static final String SUMMARY = "summary.json";

    private LabResults() {}

    /** The {@code experiments} object of {@code dir/summary.json}; empty if there is no such file. */
    public static Optional<JsonNode> read(Path dir) {
        Path file = dir.resolve(SUMMARY);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JsonOutput.mapper().readTree(file.toFile());
            JsonNode experiments = root == null ? null : root.get("experiments");
            if (experiments == null || !experiments.isObject()) {
                throw new IllegalArgumentException(file + ": expected a JSON object with an \"experiments\" object");
            }
            return Optional.of(experiments);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
