package dev.posenc.cli;

import dev.posenc.config.AlibiEncoding;
import dev.posenc.config.ConfigException;
import dev.posenc.config.DebertaEncoding;
import dev.posenc.config.HfConfig;
import dev.posenc.config.LearnedAbsoluteEncoding;
import dev.posenc.config.ModelGeometry;
import dev.posenc.config.PositionConfig;
import dev.posenc.config.RopeEncoding;
import dev.posenc.config.T5Encoding;
import dev.posenc.querykey.FrequencyPair;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryFrequencies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code posenc inspect CONFIG [--seq-len N] [--json]}: how a model encodes positions, read from its Hugging
 * Face config ({@code CONFIG} is a {@code config.json}, a model folder holding one, or {@code -} for standard input). For RoPE models: one row per frequency pair (inv_freq, wavelength, what the rope type did to it
 * relative to the original context) and the attention scaling, as Hugging Face would use them for a sequence of
 * {@code N} tokens (at initialisation without {@code --seq-len} or with {@code --seq-len 0}), with a warning when
 * {@code N} exceeds {@code max_position_embeddings}. For other models: the kind and its parameters.
 *
 * <p>{@code --json} prints one object: {@code {"kind":"rope","model_type","seq_len","rope_type","layout","head_dim",
 * "rotary_dim","rope_theta","inv_freq":[...],"attention_scaling","max_position_embeddings",
 * "original_max_position_embeddings"}} plus {@code "mrope_section"}/{@code "mrope_interleaved"} for multimodal RoPE,
 * {@code "layer_type"} and {@code "other_layer_types"} for per-layer-type rope, {@code "geometry"} (the attention
 * geometry of every layer, {@link GeometryView}) and {@code "warnings"}; for other
 * kinds {@code {"kind", "model_type", "seq_len", <the parameters>, <their detail>, "warnings"}}, the detail from
 * {@link PositionDetail} (ALiBi slopes by the family's rule, T5/DeBERTa buckets of a few relative positions, the
 * range of a learned table). Warnings also go to stderr.
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = "How a model encodes positions, from its Hugging Face config.json.")
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The name {@code CONFIG} takes for standard input. */
    static final String STDIN = "-";

    @Parameters(index = "0", paramLabel = "CONFIG.json|MODEL.gguf",
            description = "A Hugging Face config.json, a model folder holding one, - for standard input, or a GGUF "
                    + "file (read with llama.cpp's semantics).")
    String config;

    @Option(names = "--ctx", paramLabel = "N",
            description = "GGUF only: llama.cpp's context size n_ctx (default: the file's context_length).")
    Integer ctx;

    @Option(names = "--against", paramLabel = "CONFIG.json",
            description = "GGUF only: audit the conversion against the config.json it was converted from.")
    Path against;

    @Option(names = "--seq-len", paramLabel = "N",
            description = "Sequence length of the forward pass (dynamic NTK and LongRoPE depend on it); "
                    + "default 0: the frequencies at initialisation.")
    Long seqLen;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        if (seqLen != null && (seqLen < 0 || seqLen > RopeSpec.MAX_SEQ_LEN)) {
            throw new UserInputException("--seq-len: expected an integer from 0 (at initialisation) to 2^31 = "
                    + RopeSpec.MAX_SEQ_LEN + ", got " + seqLen);
        }
        Optional<Path> gguf = ggufFile(config);
        if (gguf.isPresent()) {
            return GgufInspection.run(spec, gguf.get(), ctx, against, seqLen, json);
        }
        if (ctx != null || against != null) {
            throw new UserInputException((ctx != null ? "--ctx" : "--against") + ": expected a GGUF file to "
                    + "inspect, got " + config);
        }
        Loaded both = load(config);
        PositionConfig loaded = both.config();
        List<String> warnings = warnings(loaded, seqLen);
        long n = seqLen == null ? 0 : seqLen;
        String output = json ? JsonOutput.write(withGeometry(toJson(loaded, n, warnings), both.geometry()))
                : human(loaded, n, warnings, both.geometry());
        for (String warning : warnings) {
            spec.commandLine().getErr().println("posenc: warning: " + loaded.source() + ": " + warning);
        }
        spec.commandLine().getOut().println(output);
        return 0;
    }

    /** {@code config} as a GGUF file, if it names one (by extension or magic). */
    private static Optional<Path> ggufFile(String config) {
        if (config.equals(STDIN)) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(config);
            return GgufInspection.isGguf(path) ? Optional.of(path) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** Reads {@code config}: a file, a model folder's {@code config.json}, or {@code -} (standard input). */
    private static Loaded load(String config) {
        if (config.equals(STDIN)) {
            String text = standardInput();
            return Loaded.of(HfConfig.parse(text, STDIN_SOURCE), () -> HfConfig.parseGeometry(text, STDIN_SOURCE));
        }
        Path path;
        try {
            path = Path.of(config);
        } catch (InvalidPathException e) {
            throw new UserInputException(config + ": not a valid file name (" + e.getReason() + ")", e);
        }
        Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
        return Loaded.of(HfConfig.load(file), () -> HfConfig.loadGeometry(file));
    }

    /** The name standard input goes by in messages. */
    private static final String STDIN_SOURCE = "(standard input)";

    /**
     * A config and, for RoPE models, its per-layer attention geometry (whose config carries the warnings of the
     * per-layer keys too).
     */
    private record Loaded(PositionConfig config, ModelGeometry geometry) {
        static Loaded of(PositionConfig config, Supplier<ModelGeometry> geometry) {
            if (!(config.encoding() instanceof RopeEncoding)) {
                return new Loaded(config, null);
            }
            try {
                ModelGeometry g = geometry.get();
                return new Loaded(g.config(), g);
            } catch (ConfigException e) {
                // The rope is fully described; the per-layer geometry needs keys (layer and head counts) that the
                // config may leave to its class's defaults. Show what is known and say what is missing.
                List<String> warnings = new ArrayList<>(config.warnings());
                warnings.add("attention geometry not shown: " + e.getMessage().substring(
                        Math.min(e.getMessage().length(), config.source().length() + 2)));
                return new Loaded(new PositionConfig(config.source(), config.modelType(), config.encoding(),
                        warnings), null);
            }
        }
    }

    private static String standardInput() {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(System.in.readAllBytes()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UserInputException("(standard input): expected UTF-8 text, got invalid bytes", e);
        } catch (IOException e) {
            throw new UserInputException("(standard input): cannot read: " + e.getMessage(), e);
        }
    }

    /** The {@code --json} object for {@code config} at initialisation, its warnings included (used by the report). */
    public static Map<String, Object> inspection(Path config) {
        return inspection(config, null);
    }

    /**
     * The {@code --json} object for {@code config} (a file or a model folder) for a pass of {@code seqLen} tokens
     * ({@code null}: at initialisation, as without {@code --seq-len}), geometry and warnings included: exactly what
     * {@code inspect --json} prints (used by {@code explore}).
     */
    public static Map<String, Object> inspection(Path config, Long seqLen) {
        return inspection(load(config.toString()), seqLen);
    }

    /** As {@link #inspection(Path, Long)} for a config given as JSON text named {@code source} in messages. */
    public static Map<String, Object> inspection(String json, String source, Long seqLen) {
        return inspection(Loaded.of(HfConfig.parse(json, source), () -> HfConfig.parseGeometry(json, source)), seqLen);
    }

    private static Map<String, Object> inspection(Loaded both, Long seqLen) {
        return withGeometry(toJson(both.config(), seqLen == null ? 0 : seqLen, warnings(both.config(), seqLen)),
                both.geometry());
    }

    private static List<String> warnings(PositionConfig loaded, Long seqLen) {
        List<String> warnings = new ArrayList<>(loaded.warnings());
        if (seqLen != null && !(loaded.encoding() instanceof RopeEncoding)) {
            warnings.add("--seq-len has no effect: the model uses " + loaded.encoding().kind() + ", not RoPE");
        }
        if (seqLen != null && loaded.encoding() instanceof RopeEncoding rope
                && seqLen > rope.spec().maxPositionEmbeddings()) {
            warnings.add("--seq-len " + seqLen + " exceeds max_position_embeddings "
                    + rope.spec().maxPositionEmbeddings() + ": the model was not configured for sequences this long");
        }
        return warnings;
    }

    // ---------------------------------------------------------------------------------------------------------
    // JSON
    // ---------------------------------------------------------------------------------------------------------

    /** {@code out} with {@code "geometry"} (RoPE models) before its {@code "warnings"}. */
    private static Map<String, Object> withGeometry(Map<String, Object> out, ModelGeometry geometry) {
        if (geometry == null) {
            return out;
        }
        Object warnings = out.remove("warnings");
        out.put("geometry", GeometryView.json(geometry));
        out.put("warnings", warnings);
        return out;
    }

    static Map<String, Object> toJson(PositionConfig c, long seqLen, List<String> warnings) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", c.encoding().kind());
        out.put("model_type", c.modelType());
        out.put("seq_len", seqLen);
        switch (c.encoding()) {
            case RopeEncoding rope -> {
                out.putAll(ropeJson(rope.spec(), seqLen));
                rope.mrope().ifPresent(m -> {
                    out.put("mrope_section", m.section());
                    out.put("mrope_interleaved", m.interleaved());
                });
                rope.layerType().ifPresent(t -> {
                    out.put("layer_type", t);
                    Map<String, Object> others = new LinkedHashMap<>();
                    rope.otherLayerTypes().forEach((type, s) -> others.put(type, ropeJson(s, seqLen)));
                    out.put("other_layer_types", others);
                });
            }
            case AlibiEncoding a -> {
                out.put("num_heads", a.numHeads());
                out.put("alibi_bias_max", a.alibiBiasMax());
                out.putAll(PositionDetail.alibi(c.modelType(), a));
            }
            case T5Encoding t -> {
                out.put("relative_attention_num_buckets", t.relativeAttentionNumBuckets());
                out.put("relative_attention_max_distance", t.relativeAttentionMaxDistance());
                out.put("num_heads", t.numHeads());
                out.putAll(PositionDetail.t5(c.source(), t));
            }
            case DebertaEncoding d -> {
                out.put("position_buckets", d.positionBuckets());
                out.put("max_relative_positions", d.maxRelativePositions());
                out.put("pos_att_type", d.posAttType());
                out.put("max_position_embeddings", d.maxPositionEmbeddings());
                out.put("position_biased_input", d.positionBiasedInput());
                out.putAll(PositionDetail.deberta(c.source(), d));
            }
            case LearnedAbsoluteEncoding l -> {
                out.put("max_position_embeddings", l.maxPositionEmbeddings());
                out.putAll(PositionDetail.learned(l));
            }
        }
        out.put("warnings", warnings);
        return out;
    }

    private static Map<String, Object> ropeJson(RopeSpec spec, long seqLen) {
        RotaryFrequencies f = spec.frequencies(seqLen);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rope_type", spec.ropeType().id());
        out.put("layout", spec.layout().id());
        out.put("head_dim", spec.headDim());
        out.put("rotary_dim", spec.rotaryDim());
        out.put("rope_theta", spec.ropeTheta());
        out.put("inv_freq", f.invFreq());
        out.put("attention_scaling", f.attentionScaling());
        out.put("max_position_embeddings", spec.maxPositionEmbeddings());
        out.put("original_max_position_embeddings",
                spec.originalMaxPositionEmbeddings().isPresent() ? spec.originalMaxPositionEmbeddings().getAsInt()
                        : null);
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // human form
    // ---------------------------------------------------------------------------------------------------------

    static String human(PositionConfig c, long seqLen, List<String> warnings) {
        return human(c, seqLen, warnings, null);
    }

    /** The text form, with the per-layer geometry (null: none) before the warnings. */
    static String human(PositionConfig c, long seqLen, List<String> warnings, ModelGeometry geometry) {
        StringBuilder sb = new StringBuilder();
        sb.append(c.source()).append(": model_type ").append(c.modelType()).append(", ")
                .append(c.encoding().kind()).append('\n');
        switch (c.encoding()) {
            case RopeEncoding rope -> {
                rope.mrope().ifPresent(m -> sb.append("mrope_section ").append(Arrays.toString(m.section()))
                        .append(m.interleaved() ? " (interleaved)" : " (contiguous)").append('\n'));
                if (rope.layerType().isPresent()) {
                    sb.append('\n').append("layer type ").append(rope.layerType().get()).append('\n');
                }
                ropeTable(sb, rope.spec(), seqLen);
                rope.otherLayerTypes().forEach((type, s) -> {
                    sb.append('\n').append("layer type ").append(type).append('\n');
                    ropeTable(sb, s, seqLen);
                });
            }
            case AlibiEncoding a -> sb.append("num_heads ").append(a.numHeads()).append('\n')
                    .append("alibi_bias_max ").append(number(a.alibiBiasMax())).append('\n')
                    .append(PositionDetail.text(PositionDetail.alibi(c.modelType(), a)));
            case T5Encoding t -> sb.append("relative_attention_num_buckets ")
                    .append(t.relativeAttentionNumBuckets()).append('\n')
                    .append("relative_attention_max_distance ").append(t.relativeAttentionMaxDistance()).append('\n')
                    .append("num_heads ").append(t.numHeads()).append('\n')
                    .append(PositionDetail.text(PositionDetail.t5(c.source(), t)));
            case DebertaEncoding d -> sb.append("position_buckets ").append(d.positionBuckets()).append('\n')
                    .append("max_relative_positions ").append(d.maxRelativePositions()).append('\n')
                    .append("pos_att_type ").append(String.join("|", d.posAttType())).append('\n')
                    .append("max_position_embeddings ").append(d.maxPositionEmbeddings()).append('\n')
                    .append("position_biased_input ").append(d.positionBiasedInput()).append('\n')
                    .append(PositionDetail.text(PositionDetail.deberta(c.source(), d)));
            case LearnedAbsoluteEncoding l -> sb.append("max_position_embeddings ").append(l.maxPositionEmbeddings())
                    .append('\n').append(PositionDetail.text(PositionDetail.learned(l)));
        }
        if (geometry != null) {
            sb.append('\n').append(GeometryView.text(geometry));
        }
        sb.append('\n').append(warnings.isEmpty() ? "warnings: none" : "warnings:");
        for (String w : warnings) {
            sb.append("\n  ").append(w);
        }
        return sb.toString();
    }

    private static void ropeTable(StringBuilder sb, RopeSpec spec, long seqLen) {
        sb.append("rope_type ").append(spec.ropeType().id()).append(", ").append(spec.layout().id())
                .append(" layout, head_dim ").append(spec.headDim()).append(", rotary_dim ").append(spec.rotaryDim())
                .append(", rope_theta ").append(number(spec.ropeTheta())).append('\n');
        sb.append("max_position_embeddings ").append(spec.maxPositionEmbeddings());
        spec.originalMaxPositionEmbeddings().ifPresent(l0 -> sb.append(", original_max_position_embeddings ")
                .append(l0));
        sb.append('\n');
        sb.append("attention_scaling ").append(spec.attentionScaling())
                .append(" (on cos and sin; attention logits scale by its square)\n");
        sb.append(seqLen == 0 ? "frequencies at initialisation" : "frequencies for a sequence of " + seqLen
                + " tokens").append(":\n");
        sb.append(String.format(Locale.ROOT, "%6s  %-16s  %20s  %s%n", "pair", "inv_freq", "wavelength (tokens)",
                "vs the original context"));
        for (FrequencyPair p : spec.pairs(seqLen)) {
            String wavelength = Double.isInfinite(p.wavelength()) ? "inf"
                    : String.format(Locale.ROOT, "%.1f", p.wavelength());
            sb.append(String.format(Locale.ROOT, "%6d  %-16s  %20s  %s%n", p.index(), Float.toString(p.invFreq()),
                    wavelength, p.band().id()));
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
