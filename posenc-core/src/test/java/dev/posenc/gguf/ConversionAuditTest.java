package dev.posenc.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.config.HfConfig;
import dev.posenc.testing.GgufFolder;
import dev.posenc.testing.HfConfigsFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The audit of every converted fixture against the config it came from lists exactly the differences the shared
 * INDEX.md (section 5) derives from llama.cpp's code, and nothing for the pairs that agree.
 */
class ConversionAuditTest {
    private static Set<String> pairs(int from, int to, long seqLen) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "frequency " + i + " @" + seqLen)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Findings 1 (stable-code θ), 3 (Kimi-K2 beta_fast), 4 (gpt-oss truncate), 6 (Phi-3 long/short), 7 (Qwen3-VL). */
    private static final Map<String, Set<String>> DIFFERENCES = Map.of(
            "stable-code-3b", pairs(1, 9, 0),
            "kimi-k2-instruct", pairs(9, 19, 0),
            "gpt-oss-20b", pairs(9, 17, 0),
            "phi-3-mini-128k-instruct-longrope", pairs(0, 47, 1),
            "phi-3.5-mini-instruct", pairs(0, 47, 1),
            "qwen3-vl-32b-instruct-trimmed", new TreeSet<>(List.of("frequency 61 @0", "frequency 62 @0")));

    /** What each audit must say the GGUF does not carry (findings 1, 2, 3, 4, 5, 6, 8). */
    private static final Map<String, List<String>> NOT_CARRIED = Map.ofEntries(
            Map.entry("stable-code-3b", List.of("rope_theta 1000000.0: not written")),
            Map.entry("internlm2-chat-7b-dynamic", List.of("rope_type dynamic (factor 2.0)")),
            Map.entry("kimi-k2-instruct", List.of("beta_fast 1.0, beta_slow 1.0: llama.cpp uses 32.0", "mscale 1.0")),
            Map.entry("deepseek-v3-base", List.of("mscale 1.0")),
            Map.entry("gpt-oss-20b", List.of("truncate=false: not carried; ggml floors/ceils the correction range to "
                    + "[8.0, 18.0], HF uses [8.093, 17.398]")),
            Map.entry("phi-3-mini-128k-instruct-longrope", List.of("LongRoPE short/long switch")),
            Map.entry("phi-3-mini-128k-instruct-su", List.of("LongRoPE short/long switch")),
            Map.entry("phi-3.5-mini-instruct", List.of("LongRoPE short/long switch")),
            Map.entry("llama-3.1-8b", List.of("llama3 bands (factor 8.0")),
            Map.entry("llama-3.2-1b", List.of("llama3 bands (factor 32.0")),
            Map.entry("llama-3.2-3b-instruct", List.of("llama3 bands (factor 32.0")));

    static Stream<Path> converted() throws IOException {
        Path root = GgufFolder.find().orElse(null);
        Assumptions.assumeTrue(root != null && HfConfigsFolder.find().isPresent(), "shared fixtures absent");
        try (Stream<Path> s = Files.list(root.resolve("converted"))) {
            return s.filter(p -> p.toString().endsWith(".gguf")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("converted")
    void listsExactlyTheKnownDifferences(Path gguf) {
        String stem = gguf.getFileName().toString().replace(".gguf", "");
        Path config = HfConfigsFolder.find().orElseThrow().resolve(stem + ".json");
        ConversionAudit audit = ConversionAudit.compare(HfConfig.load(config), GgufConfig.model(gguf), 0);
        Set<String> got = audit.differences().stream()
                .map(d -> d.kind() + (d.pair() >= 0 ? " " + d.pair() : "") + " @" + d.hfSeqLen())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = stem.equals("phi-3-mini-128k-instruct-su")
                ? without(pairs(0, 47, 1), 1, 2) : DIFFERENCES.getOrDefault(stem, Set.of());
        assertEquals(expected, got, stem);
        List<String> lost = NOT_CARRIED.getOrDefault(stem, List.of());
        assertEquals(lost.size(), audit.notCarried().size(), stem + ": " + audit.notCarried());
        for (int i = 0; i < lost.size(); i++) {
            assertTrue(audit.notCarried().get(i).startsWith(lost.get(i)), audit.notCarried().get(i));
        }
    }

    /** Phi-3-mini-128k "su": pairs 1 and 2 have equal long and short factors (1.05), so they agree. */
    private static Set<String> without(Set<String> s, int... pairs) {
        for (int p : pairs) {
            s.remove("frequency " + p + " @1");
        }
        return s;
    }
}
