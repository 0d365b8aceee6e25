package dev.posenc.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posenc.cli.JsonOutput;
import dev.posenc.cli.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The lab's results, when a lab run has left them: {@code DIR/lab.json}, the object {@code posenc lab --json}
 * prints ({@code {"experiments": {...}}}, schema in docs/lab-json.md), and the lab's own plots
 * {@code DIR/plots/*.png}. The report shows whatever experiments it holds.
 */
public final class LabResults {
    /** Where {@code posenc lab} writes by default, relative to the working directory. */
    public static final Path DEFAULT_DIR = Path.of("lab-out");
    public static final String SUMMARY = "lab.json";

    private LabResults() {}

    /**
     * What the report shows of a lab run.
     *
     * @param experiments the {@code experiments} object
     * @param plots the lab's own PNG plots, file name and bytes
     */
    public record Lab(JsonNode experiments, java.util.List<Image> plots) {}

    /** A PNG image and the file name it came from. */
    public record Image(String name, byte[] png) {}

    /** The lab run in {@code dir}: {@code lab.json} and its plots; empty if there is no {@code lab.json}. */
    public static Optional<Lab> load(Path dir) {
        return read(dir).map(experiments -> {
            java.util.List<Image> images = new java.util.ArrayList<>();
            for (Path p : plots(dir)) {
                try {
                    images.add(new Image(p.getFileName().toString(), Files.readAllBytes(p)));
                } catch (IOException e) {
                    throw new UserInputException(p + ": cannot read: " + e.getMessage(), e);
                }
            }
            return new Lab(experiments, images);
        });
    }

    /** The lab's PNG plots in {@code dir/plots}, by file name; none if there are none. */
    static java.util.List<Path> plots(Path dir) {
        Path plots = dir.resolve("plots");
        if (!Files.isDirectory(plots)) {
            return java.util.List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.list(plots)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        } catch (IOException e) {
            throw new UserInputException(plots + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** The {@code experiments} object of {@code dir/lab.json}; empty if there is no such file. */
    static Optional<JsonNode> read(Path dir) {
        Path file = dir.resolve(SUMMARY);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JsonOutput.mapper().readTree(file.toFile());
            JsonNode experiments = root == null ? null : root.get("experiments");
            if (experiments == null || !experiments.isObject()) {
                throw new UserInputException(file + ": expected a JSON object with an \"experiments\" object");
            }
            return Optional.of(experiments);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserInputException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
