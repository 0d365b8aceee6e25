package dev.posenc.cli.explore;

import dev.posenc.cli.report.LabResults;
import dev.posenc.cli.verify.Build;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The explorer's JSON API: every number the page shows comes from one of these endpoints, each computed by
 * posenc-core through the same code paths as {@code inspect}, {@code verify} and {@code report}. Parameters are
 * query parameters, checked against the ranges documented per endpoint (a bad one is HTTP 400 with
 * {@code {"error": "<one line>"}}, the CLI's message); responses are JSON objects without NaN or infinities.
 *
 * <table>
 * <caption>Endpoints</caption>
 * <tr><th>path</th><th>parameters</th><th>answers</th></tr>
 * <tr><td>{@code GET /api/models}</td><td></td><td>the bundled example configs ({@code bundled}) and
 * those of them whose rope_type is LongRoPE ({@code longrope})</td></tr>
 * <tr><td>{@code GET /api/model}</td><td>{@code name}, {@code seq_len}</td><td>{@link ModelView}</td></tr>
 * <tr><td>{@code POST /api/model}</td><td>{@code name} (the file's name), {@code seq_len}; body: a config.json</td>
 * <td>the same for an uploaded config</td></tr>
 * <tr><td>{@code POST /api/model}</td><td>{@code name}, {@code ctx}, {@code against}, {@code against_bytes};
 * body: a GGUF file (by its magic), optionally followed by a config.json</td><td>{@link ModelView#gguf}: the same
 * for the file as llama.cpp reads it, with {@code posenc inspect MODEL.gguf --json [--ctx N] [--against]}</td></tr>
 * <tr><td>{@code GET /api/rope/clock}</td><td>{@code d, base, m, n}</td><td>{@link RopeViews#clock}</td></tr>
 * <tr><td>{@code GET /api/rope/nearest}</td><td>{@code d, base, pair, hand, x, y, max}</td>
 * <td>{@link RopeViews#nearest}: the position a dragged clock hand sets</td></tr>
 * <tr><td>{@code GET /api/rope/decay}</td><td>{@code d, bases, max, scale, train}</td>
 * <td>{@link RopeViews#decay}</td></tr>
 * <tr><td>{@code GET /api/extension}</td><td>{@code d, base, context, factor, seq_len, longrope}</td>
 * <td>{@link RopeViews#extension}</td></tr>
 * <tr><td>{@code GET /api/shuffle}</td><td>{@code tokens, order, encoding}</td><td>{@link ShuffleDemo}</td></tr>
 * <tr><td>{@code GET /api/bias}</td><td>{@code kind} and its parameters</td><td>{@link BiasViews}</td></tr>
 * <tr><td>{@code GET /api/lab}</td><td></td><td>the lab's results, when a lab output folder was given or
 * {@code lab-out/} exists: {@code {"available", "dir", "experiments": <lab.json's experiments>, "plots":
 * [{"name", "png": <data: URL>}]}}</td></tr>
 * </table>
 *
 * <p>Thread-safe: the views hold only thread-safe caches.
 */
public final class ExploreApi {
    private final RopeViews rope;
    private final ShuffleDemo shuffle;
    private final Path labDir;

    /**
     * @param build what the numbers are computed by ({@code PosencBuild.create()})
     * @param labDir the lab's output folder, read afresh on every request (a lab may still be running)
     */
    public ExploreApi(Build build, Path labDir) {
        this.rope = new RopeViews(build);
        this.shuffle = new ShuffleDemo();
        this.labDir = labDir;
    }

    /**
     * Answers one request.
     *
     * @param path the path after {@code /api/}
     * @param query its query parameters
     * @param body the request body of a POST to {@code model} that is not a GGUF (at most
     *     {@link ExploreServer#MAX_UPLOAD_BYTES}), {@code null} for a GET
     */
    Object handle(String path, Query query, byte[] body) {
        return switch (path) {
            case "models" -> models();
            case "model" -> body == null ? ModelView.bundled(query) : ModelView.uploaded(query, body);
            case "rope/clock" -> rope.clock(query);
            case "rope/nearest" -> rope.nearest(query);
            case "rope/decay" -> rope.decay(query);
            case "extension" -> rope.extension(query);
            case "shuffle" -> shuffle.answer(query);
            case "bias" -> BiasViews.answer(query);
            case "lab" -> lab();
            default -> throw new ExploreServer.NotFound("no API endpoint /api/" + path);
        };
    }

    /** Answers {@code POST /api/model} whose body is a GGUF file. */
    Object gguf(Query query, GgufUpload upload) {
        return ModelView.gguf(query, upload);
    }

    private Map<String, Object> lab() {
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<LabResults.Lab> lab = LabResults.load(labDir);
        out.put("available", lab.isPresent());
        out.put("dir", labDir.toString());
        lab.ifPresent(l -> {
            out.put("experiments", l.experiments());
            List<Map<String, Object>> plots = new ArrayList<>();
            for (LabResults.Image image : l.plots()) {
                plots.add(Map.of("name", image.name(),
                        "png", "data:image/png;base64," + Base64.getEncoder().encodeToString(image.png())));
            }
            out.put("plots", plots);
        });
        return out;
    }

    private Map<String, Object> models() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bundled", dev.posenc.cli.ExampleConfigs.names());
        out.put("longrope", List.copyOf(RopeViews.LongRopeConfig.BUNDLED.keySet()));
        out.put("max_upload_bytes", ExploreServer.MAX_UPLOAD_BYTES);
        out.put("max_gguf_upload_bytes", GgufUpload.MAX_BYTES);
        return out;
    }
}
