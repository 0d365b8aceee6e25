package dev.posenc.cli.explore;

import dev.posenc.cli.ExampleConfigs;
import dev.posenc.cli.GgufInspection;
import dev.posenc.cli.InspectCommand;
import dev.posenc.config.ConfigException;
import dev.posenc.config.HfConfig;
import dev.posenc.config.PositionConfig;
import dev.posenc.config.RopeEncoding;
import dev.posenc.gguf.GgufConfig;
import dev.posenc.querykey.FrequencyPair;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryFrequencies;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/model}: a real model's positions, from a bundled example config ({@code GET ?name=}), an uploaded
 * config.json ({@code POST ?name=FILE}, the file as the body) or an uploaded GGUF file ({@link #gguf}).
 *
 * <p>The answer is {@code {"source", "seq_len", "inspect": <posenc inspect --json --seq-len N>, "pairs": [...]}};
 * for RoPE models each pair is {@code {"pair", "inv_freq", "unscaled_inv_freq", "wavelength", "band"}}: the
 * effective and the unscaled {@code inv_freq} (same {@code rope_theta}, {@code rope_type} default), the wavelength
 * {@code 2π / inv_freq} in tokens ({@code null} when infinite) and what the scaling did to the pair relative to the
 * original context (kept, blended, interpolated), all from {@code RopeSpec} for a pass of {@code seq_len} tokens
 * ({@code 0}: at initialisation). Also {@code "original_context"}, {@code "extended_context"} and
 * {@code "attention_scaling"}. A malformed config is HTTP 400 with the CLI's one-line message.
 */
final class ModelView {
    static final long MAX_SEQ_LEN = 1L << 24;
    private static final int MAX_NAME_LENGTH = 120;

    private ModelView() {}

    static Map<String, Object> bundled(Query query) {
        String name = query.choice("name", ExampleConfigs.names().getFirst(), ExampleConfigs.names());
        Path path = ExampleConfigs.path(name);
        Long seqLen = seqLen(query);
        return answer(name, HfConfig.load(path), seqLen, InspectCommand.inspection(path, seqLen));
    }

    static Map<String, Object> uploaded(Query query, byte[] body) {
        String name = fileName(query.string("name", "config.json"));
        Long seqLen = seqLen(query);
        String text = utf8(body, name);
        return answer(name, HfConfig.parse(text, name), seqLen, InspectCommand.inspection(text, name, seqLen));
    }

    /**
     * An uploaded GGUF file, read as {@code posenc inspect MODEL.gguf --json [--ctx N] [--against CONFIG.json]} reads
     * it ({@link GgufInspection#inspect}): {@code ctx} is llama.cpp's {@code n_ctx} (0 or absent: the file's
     * {@code context_length}); {@code against} names the config.json to audit the conversion against, the bundled
     * example of that name or, with {@code against_bytes}, the config.json at the end of the body. The answer is
     * that of a config.json (the pairs as llama.cpp rotates them at {@code n_ctx}) plus {@code "n_ctx"}; the
     * inspection holds {@code "llama_cpp"}, {@code "layers"} and the {@code "audit"}.
     */
    static Map<String, Object> gguf(Query query, GgufUpload upload) {
        String name = fileName(query.string("name", "model.gguf"));
        if (query.integer("seq_len", 0, 0, MAX_SEQ_LEN) != 0) {
            throw new IllegalArgumentException("seq_len: applies to a config.json; for a GGUF, llama.cpp's context "
                    + "is ctx");
        }
        long ctx = query.integer("ctx", 0, 0, MAX_SEQ_LEN);
        PositionConfig against = null;
        String againstName = null;
        if (upload.against() != null) {
            againstName = fileName(query.string("against", "config.json"));
            against = HfConfig.parse(utf8(upload.against(), againstName), againstName);
        } else if (!query.string("against", "").isEmpty()) {
            againstName = query.choice("against", "", ExampleConfigs.names());
            against = HfConfig.load(ExampleConfigs.path(againstName));
        }
        GgufInspection.Inspection inspection = GgufInspection.inspect(GgufConfig.model(upload.file(), name),
                ctx == 0 ? null : (int) ctx, against, againstName);
        Map<String, Object> out = answer(name, inspection.config(), null, inspection.json());
        out.put("n_ctx", inspection.nCtx());
        return out;
    }

    private static String utf8(byte[] body, String name) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(name + ": expected UTF-8 text, got invalid bytes", e);
        }
    }

    /** {@code seq_len}: absent or 0 means at initialisation, as {@code inspect} without {@code --seq-len}. */
    private static Long seqLen(Query query) {
        long n = query.integer("seq_len", 0, 0, MAX_SEQ_LEN);
        return n == 0 ? null : n;
    }

    /** The last path segment of an uploaded file's name, printable characters only, as messages show it. */
    static String fileName(String given) {
        String name = given.substring(Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\')) + 1)
                .replaceAll("[^\\p{L}\\p{N}._ ()+-]", "_").strip();
        if (name.isEmpty()) {
            return "config.json";
        }
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH);
    }

    private static Map<String, Object> answer(String source, PositionConfig loaded, Long seqLen,
                                              Map<String, Object> inspection) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        out.put("seq_len", seqLen == null ? 0 : seqLen);
        out.put("inspect", inspection);
        List<Map<String, Object>> pairs = new ArrayList<>();
        if (loaded.encoding() instanceof RopeEncoding rope) {
            RopeSpec spec = rope.spec();
            long n = seqLen == null ? 0 : seqLen;
            RotaryFrequencies unscaled = new RopeSpec(spec.headDim(), spec.rotaryDim(), spec.layout(),
                    spec.ropeTheta(), spec.maxPositionEmbeddings(), new RopeScaling.Default()).frequencies();
            for (FrequencyPair p : spec.pairs(n)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("pair", p.index());
                row.put("inv_freq", p.invFreq());
                row.put("unscaled_inv_freq", unscaled.invFreq(p.index()));
                row.put("wavelength", Double.isFinite(p.wavelength()) ? p.wavelength() : null);
                row.put("band", p.band().id());
                pairs.add(row);
            }
            out.put("original_context", spec.originalMaxPositionEmbeddings().orElse(spec.maxPositionEmbeddings()));
            out.put("extended_context", spec.maxPositionEmbeddings());
            out.put("attention_scaling", spec.frequencies(n).attentionScaling());
        }
        out.put("pairs", pairs);
        return out;
    }
}
