package dev.posenc.cli.report;

import dev.posenc.cli.plot.Figure;
import java.util.Map;
import java.util.Optional;

/**
 * One config's part of the report: what {@code posenc inspect --json} says about it, or the one-line error it
 * gives, and the picture of its frequency bands when it scales RoPE.
 *
 * @param file the file name
 * @param inspection the inspect object, empty when the config could not be read
 * @param error the error message when it could not be read, else empty
 * @param bands the bands figure for RoPE configs with a scaling, else empty
 */
public record ConfigSection(String file, Map<String, Object> inspection, String error, Optional<Figure> bands) {}
