package dev.posenc.cli;

import dev.posenc.config.ConfigException;
import dev.posenc.config.HfConfig;
import dev.posenc.config.ModelGeometry;
import dev.posenc.config.PositionConfig;
import dev.posenc.config.RopeEncoding;
import dev.posenc.gguf.ConversionAudit;
import dev.posenc.gguf.GgmlRopeCall;
import dev.posenc.gguf.GgufConfig;
import dev.posenc.gguf.LlamaCppModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code posenc inspect MODEL.gguf [--ctx N] [--json] [--against CONFIG.json]}: the inspection of a GGUF file with
 * llama.cpp's semantics (the same schema as for a config.json, plus {@code "source":"gguf"},
 * {@code "semantics":"llama.cpp"}, {@code "n_ctx"}, the ggml call {@code "llama_cpp"}, the {@code "layers"} it
 * reads and, for RoPE models, the same {@code "geometry"} as for a config.json, per layer as llama.cpp builds it),
 * and the conversion audit against the config.json the file was converted from.
 */
public final class GgufInspection {
    private GgufInspection() {}

    /** A {@code .gguf} name, or a file starting with the GGUF magic. */
    static boolean isGguf(Path file) {
        if (file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(4), new byte[] {'G', 'G', 'U', 'F'});
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static int run(CommandSpec spec, Path file, Integer ctx, Path against, Long seqLen, boolean json) {
        if (seqLen != null) {
            throw new UserInputException("--seq-len: applies to a config.json; for a GGUF, llama.cpp's context is "
                    + "--ctx N");
        }
        if (ctx != null && ctx < 1) {
            throw new UserInputException("--ctx: expected a positive integer, got " + ctx);
        }
        Inspection inspection = inspect(GgufConfig.model(file), ctx,
                against == null ? null : HfConfig.load(against), against == null ? null : against.toString());
        String text = json ? JsonOutput.write(inspection.json()) : inspection.human(file);
        for (String warning : inspection.warnings()) {
            spec.commandLine().getErr().println("posenc: warning: " + inspection.config().source() + ": " + warning);
        }
        spec.commandLine().getOut().println(text);
        return 0;
    }

    /**
     * What {@code posenc inspect MODEL.gguf [--ctx N] [--against CONFIG.json]} computes, for the command and for
     * the explorer alike (so the two agree exactly).
     *
     * @param model the file as llama.cpp reads it ({@link GgufConfig#model})
     * @param ctx llama.cpp's {@code n_ctx}, positive, or null for the file's {@code context_length}
     * @param against the Hugging Face config the file was converted from, or null for no audit
     * @param againstName how {@code "audit"."against"} names that config (the CLI: its path as given)
     */
    public static Inspection inspect(LlamaCppModel model, Integer ctx, PositionConfig against, String againstName) {
        int nCtx = ctx == null ? model.contextLength() : ctx;
        PositionConfig config = model.positionConfig(nCtx);
        List<String> warnings = new ArrayList<>(config.warnings());
        ModelGeometry geometry = geometry(model, nCtx, config, warnings);
        ConversionAudit audit = against == null ? null : ConversionAudit.compare(against, model, nCtx);
        return new Inspection(model, nCtx, config, List.copyOf(warnings), geometry, audit, againstName);
    }

    /**
     * One inspection of a GGUF file at llama.cpp's context {@code nCtx}.
     *
     * @param geometry null for models without RoPE or whose geometry llama.cpp could not build (a warning says why)
     * @param audit null without a config to audit against
     */
    public record Inspection(LlamaCppModel model, int nCtx, PositionConfig config, List<String> warnings,
                             ModelGeometry geometry, ConversionAudit audit, String against) {
        /** {@code inspect MODEL.gguf --json}'s object. */
        public Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("source", "gguf");
            out.put("semantics", "llama.cpp");
            out.put("architecture", model.architecture());
            out.put("n_ctx", nCtx);
            out.putAll(InspectCommand.toJson(config, 0, warnings));
            Object w = out.remove("warnings");
            if (model.hasRope()) {
                out.put("llama_cpp", callJson(model, nCtx));
            }
            out.put("layers", layersJson(model));
            if (geometry != null) {
                out.put("geometry", GeometryView.json(geometry));
            }
            if (audit != null) {
                out.put("audit", auditJson(against, audit));
            }
            out.put("warnings", w);
            return out;
        }

        String human(Path file) {
            return GgufInspection.human(file, model, config, nCtx, warnings, geometry, audit, against);
        }
    }

    /**
     * The per-layer geometry of a RoPE model as llama.cpp builds it, or null (models without RoPE; a file whose
     * head counts llama.cpp could not build a graph from: then a warning says why, as for a config.json).
     */
    private static ModelGeometry geometry(LlamaCppModel model, int nCtx, PositionConfig config,
                                          List<String> warnings) {
        if (!(config.encoding() instanceof RopeEncoding)) {
            return null;
        }
        try {
            return model.geometry(nCtx);
        } catch (ConfigException e) {
            warnings.add("attention geometry not shown: " + e.getMessage().substring(
                    Math.min(e.getMessage().length(), config.source().length() + 2)));
            return null;
        }
    }

    private static Map<String, Object> callJson(LlamaCppModel model, int nCtx) {
        GgmlRopeCall c = firstCall(model, nCtx);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", c.multi() ? "ggml_rope_multi" : "ggml_rope_ext");
        m.put("n_dims", c.nDims());
        m.put("mode", c.mode());
        m.put("n_ctx_orig", c.nCtxOrig());
        m.put("freq_base", (double) c.freqBase());
        m.put("freq_scale", (double) c.freqScale());
        m.put("ext_factor", (double) c.extFactor());
        m.put("attn_factor", (double) c.attnFactor());
        m.put("beta_fast", (double) c.betaFast());
        m.put("beta_slow", (double) c.betaSlow());
        m.put("sections", c.sections());
        m.put("freq_factors", c.freqFactorsTensor().orElse(null));
        float[] corr = c.corrDims();
        m.put("yarn_corr_dims", new double[] {corr[0], corr[1]});
        m.put("mscale", (double) c.mscale());
        return m;
    }

    private static GgmlRopeCall firstCall(LlamaCppModel model, int nCtx) {
        return model.ropeCall(nCtx, model.firstRopeLayer());
    }

    private static Map<String, Object> layersJson(LlamaCppModel model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("block_count", model.blockCount());
        m.put("head_count", model.headCount(0));
        m.put("head_count_kv", model.headCountKv(0));
        m.put("key_length", model.keyLength());
        m.put("sliding_window", model.slidingWindow());
        List<Integer> sliding = new ArrayList<>();
        List<Integer> nope = new ArrayList<>();
        for (int il = 0; il < model.blockCount(); il++) {
            if (model.isSlidingWindowLayer(il)) {
                sliding.add(il);
            }
            if (model.hasRope() && !model.usesRope(il)) {
                nope.add(il);
            }
        }
        m.put("sliding_window_layers", sliding);
        m.put("no_rope_layers", nope);
        return m;
    }

    private static Map<String, Object> auditJson(String against, ConversionAudit audit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("against", against);
        List<Map<String, Object>> diffs = new ArrayList<>();
        for (ConversionAudit.Difference d : audit.differences()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("kind", d.kind());
            x.put("pair", d.pair() >= 0 ? d.pair() : null);
            x.put("hf_seq_len", d.hfSeqLen());
            x.put("message", d.message());
            diffs.add(x);
        }
        m.put("differences", diffs);
        m.put("not_carried", audit.notCarried());
        m.put("notes", audit.notes());
        return m;
    }

    private static String human(Path file, LlamaCppModel model, PositionConfig config, int nCtx,
                                List<String> warnings, ModelGeometry geometry, ConversionAudit audit,
                                String against) {
        StringBuilder sb = new StringBuilder();
        sb.append(file).append(": GGUF v").append(model.file().version()).append(", architecture ")
                .append(model.architecture()).append(", read with llama.cpp's semantics, n_ctx ").append(nCtx)
                .append('\n');
        if (model.hasRope()) {
            sb.append("llama.cpp call: ").append(firstCall(model, nCtx)).append('\n');
        }
        Map<String, Object> layers = layersJson(model);
        sb.append("layers ").append(model.blockCount()).append(", heads ").append(model.headCount(0))
                .append(" (kv ").append(model.headCountKv(0)).append("), key_length ").append(model.keyLength());
        if (!((List<?>) layers.get("sliding_window_layers")).isEmpty()) {
            sb.append(", sliding window ").append(model.slidingWindow()).append(" on layers ")
                    .append(layers.get("sliding_window_layers"));
        }
        if (!((List<?>) layers.get("no_rope_layers")).isEmpty()) {
            sb.append(", no rope on layers ").append(layers.get("no_rope_layers"));
        }
        sb.append("\n\n").append(InspectCommand.human(config, 0, warnings, geometry));
        if (audit != null) {
            sb.append("\n\nconversion audit against ").append(against).append(" (llama.cpp at n_ctx ")
                    .append(audit.nCtx()).append(" vs Hugging Face):\n");
            sb.append(audit.differences().isEmpty() ? "  rotations agree on every pair\n" : "");
            for (ConversionAudit.Difference d : audit.differences()) {
                sb.append("  differs: ").append(d.message()).append('\n');
            }
            for (String l : audit.notCarried()) {
                sb.append("  not carried: ").append(l).append('\n');
            }
            for (String n : audit.notes()) {
                sb.append("  note: ").append(n).append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }
}
