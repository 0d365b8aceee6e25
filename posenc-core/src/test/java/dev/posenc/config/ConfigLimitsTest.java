package dev.posenc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.posenc.logits.AlibiSlopes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of config reading: size, nesting, the cost of long keys, messages that stay one short line whatever the
 * file holds, and head counts that would allocate without bound.
 */
class ConfigLimitsTest {
    /** Messages echo at most this many characters of a value, plus the quotes, an ellipsis and the length. */
    private static final int MAX_ECHO_WITH_DECORATION = Echo.MAX_ECHO_CHARS + 30;

    // ---------------------------------------------------------------------------------------------------------
    // size and nesting
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void aConfigAboveTheSizeLimitFailsWithOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(64L << 20);   // sparse: 64 MiB of zero bytes the test never writes
        }
        ConfigException e = assertThrows(ConfigException.class, () -> HfConfig.load(file));
        assertEquals(file + ": expected a config of at most 4194304 bytes (4 MiB), got more", e.getMessage());
    }

    @Test
    void aConfigOfExactlyTheLimitIsRead(@TempDir Path dir) throws IOException {
        String head = "{\"model_type\": \"bloom\", \"n_head\": 4, \"pad\": \"";
        String json = head + "x".repeat(HfConfig.MAX_CONFIG_SIZE - head.length() - 2) + "\"}";
        assertEquals(HfConfig.MAX_CONFIG_SIZE, json.length());
        Path file = Files.writeString(dir.resolve("limit.json"), json);
        assertEquals(new AlibiEncoding(4, 8), HfConfig.load(file).encoding());
        Files.writeString(file, json + " ");
        assertThrows(ConfigException.class, () -> HfConfig.load(file));
        assertThrows(ConfigException.class, () -> HfConfig.parse(json + " ", "c.json"));
    }

    @Test
    void anEndlessFileIsReadOnlyUpToTheLimit() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(zero), "no /dev/zero");
        ConfigException e = assertThrows(ConfigException.class, () -> HfConfig.load(zero));
        assertEquals("/dev/zero: expected a config of at most 4194304 bytes (4 MiB), got more", e.getMessage());
    }

    @Test
    void aDirectoryIsOneLine(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> HfConfig.load(dir));
        assertTrue(e.getMessage().startsWith(dir + ": cannot read: "), e.getMessage());
    }

    /** 100,000 open brackets stop at the depth limit, within a 512 KiB thread stack (half the JVM default) (no StackOverflowError). */
    @Test
    void deepNestingStopsAtTheDepthLimitInASmallStack() throws InterruptedException {
        String deep = "{\"a\": " + "[".repeat(100_000);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                HfConfig.parse(deep, "deep.json");
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "small-stack", 512 << 10);
        t.start();
        t.join();
        assertTrue(thrown.get() instanceof ConfigException, String.valueOf(thrown.get()));
        assertEquals("deep.json: line 1, column 518: expected at most 512 nested arrays and objects, got more",
                thrown.get().getMessage());
    }

    /**
     * A 2 MiB key over an array of a million values: the reader used to build the key path of every element
     * ({@code key[0]}, {@code key[1]}, ...), 2·10^12 characters for this document (hours); linear, it takes well
     * under a second. The test is not timed: the quadratic reader would simply not finish.
     */
    @Test
    void aLongKeyOverALongArrayIsReadInLinearTime() {
        String key = "k".repeat(2 << 20);
        String json = "{\"model_type\": \"bloom\", \"" + key + "\": [" + "0,".repeat(999_999) + "0]}";
        assertTrue(json.length() <= HfConfig.MAX_CONFIG_SIZE);
        Json.Document doc = Json.parse(json, "long.json");
        assertEquals(1_000_000, ((List<?>) ((Map<?, ?>) doc.root()).get(key)).size());
        assertEquals(List.of(), doc.duplicateKeys());
    }

    @Test
    void repeatedKeysAreListedUpToALimitThenCounted() {
        StringBuilder json = new StringBuilder("{\"model_type\": \"bloom\", \"x\": {");
        for (int i = 0; i < 1000; i++) {
            json.append("\"a\": ").append(i).append(", ");
        }
        json.append("\"a\": 0}, \"y\": [{\"b\": 1, \"b\": 2}]}");   // 1000 repeats of x.a, one of y[0].b
        PositionConfig c = HfConfig.parse(json.toString(), "dups.json");
        assertEquals(Json.MAX_LISTED_DUPLICATES + 1, c.warnings().size(), c.warnings().toString());
        assertTrue(c.warnings().get(0).startsWith("x.a: appears more than once"), c.warnings().get(0));
        assertEquals((1000 + 1 - Json.MAX_LISTED_DUPLICATES) + " more keys appear more than once; the last value is used",
                c.warnings().get(Json.MAX_LISTED_DUPLICATES));
    }

    // ---------------------------------------------------------------------------------------------------------
    // echoed values: one line, short
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void aValueWithLineBreaksIsEchoedEscapedOnOneLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HfConfig.parse("{\"model_type\": \"bloom\", \"n_head\": \"4\\nheads\\u2028\\u0000\"}", "c.json"));
        assertEquals("c.json: n_head: expected the number of attention heads, an integer from 1 to 65536, got "
                + "\"4\\nheads\\u2028\\u0000\"", e.getMessage());
    }

    @Test
    void aKeyWithLineBreaksIsEchoedEscapedOnOneLine() {
        PositionConfig c = HfConfig.parse("{\"model_type\": \"bloom\", \"a\\nb\": 1, \"a\\nb\": 2}", "c.json");
        assertEquals(List.of("a\\nb: appears more than once; the last value is used (as Python's json does)"),
                c.warnings());
        ConfigException e = assertThrows(ConfigException.class,
                () -> HfConfig.parse("{\"model_type\": \"x\\r\\ny\"}", "c.json"));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().endsWith(", got \"x\\r\\ny\""), e.getMessage());
    }

    @Test
    void aMegabyteStringIsCutInTheMessage() {
        String value = "ab\n".repeat((1 << 20) / 3) + "END";
        ConfigException e = assertThrows(ConfigException.class, () -> HfConfig.parse(
                "{\"model_type\": \"bloom\", \"n_head\": \"" + value.replace("\n", "\\n") + "\"}", "c.json"));
        String prefix = "c.json: n_head: expected the number of attention heads, an integer from 1 to 65536, got ";
        assertTrue(e.getMessage().startsWith(prefix + "\"ab\\nab\\n"), e.getMessage());
        String echoed = e.getMessage().substring(prefix.length());
        assertTrue(echoed.endsWith("…\" (" + value.length() + " characters)"), echoed);
        assertTrue(echoed.length() <= MAX_ECHO_WITH_DECORATION, echoed);
        assertEquals(-1, echoed.indexOf("END"));
    }

    @Test
    void aMegabyteKeyIsCutInKeyPaths() {
        String key = "k\t".repeat(1 << 19);
        PositionConfig c = HfConfig.parse("{\"model_type\": \"bloom\", \"" + key.replace("\t", "\\t") + "\": 1, \""
                + key.replace("\t", "\\t") + "\": 2}", "c.json");
        String warning = c.warnings().get(0);
        assertTrue(warning.startsWith("k\\tk\\t"), warning);
        assertTrue(warning.contains("…(" + key.length() + " characters): appears more than once"), warning);
        assertTrue(warning.length() < 200, warning);
    }

    @Test
    void everyEchoIsOneLineAndAtMostTheLimit() {
        for (String s : new String[] {"", "plain", "q\"uote\\", "\u0001\u007f\u0085\u2029", "x".repeat(80),
                "x".repeat(81), "\n".repeat(100), "😀".repeat(60)}) {
            for (String echoed : new String[] {Echo.quoted(s), Echo.plain(s), Echo.oneLine(s)}) {
                assertEquals(-1, echoed.chars().filter(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028
                        || c == 0x2029).findFirst().orElse(-1), echoed);
            }
            assertTrue(Echo.quoted(s).length() <= MAX_ECHO_WITH_DECORATION, Echo.quoted(s));
            assertTrue(Echo.plain(s).length() <= MAX_ECHO_WITH_DECORATION, Echo.plain(s));
            assertTrue(Echo.quoted(s).codePoints().noneMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE), "no half of a surrogate pair");
        }
        assertEquals("\"" + "x".repeat(80) + "\"", Echo.quoted("x".repeat(80)));
        assertEquals("\"" + "x".repeat(80) + "…\" (81 characters)", Echo.quoted("x".repeat(81)));
        assertEquals("\"q\\\"uote\\\\\"", Echo.quoted("q\"uote\\"));
        assertEquals("a\\u0085b\\u007F", Echo.oneLine("a\u0085b\u007f"));
    }

    @Test
    void anyConfigExceptionMessageIsOneLine() {
        assertEquals("a\\nb\\r\\nc", new ConfigException("a\nb\r\nc").getMessage());
    }

    // ---------------------------------------------------------------------------------------------------------
    // head counts
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void alibiHeadCountsAreLimitedInEveryFamily() {
        String expected = "expected the number of attention heads, an integer from 1 to 65536, got ";
        assertMessage("c.json: n_head: " + expected + "2147483647", "{\"model_type\": \"bloom\", \"n_head\": 2147483647}");
        assertMessage("c.json: n_heads: " + expected + "1073741825",
                "{\"model_type\": \"mpt\", \"n_heads\": 1073741825, \"attn_config\": {\"alibi\": true}}");
        assertMessage("c.json: num_attention_heads: " + expected + "1e9",
                "{\"model_type\": \"falcon\", \"alibi\": true, \"num_attention_heads\": 1e9}");
        assertMessage("c.json: num_attention_heads: " + expected + "nothing", "{\"model_type\": \"falcon\", \"alibi\": true}");
        assertEquals(new AlibiEncoding(AlibiSlopes.MAX_HEADS, 8),
                HfConfig.parse("{\"model_type\": \"bloom\", \"n_head\": 65536}", "c.json").encoding());
        assertThrows(IllegalArgumentException.class, () -> new AlibiEncoding(AlibiSlopes.MAX_HEADS + 1, 8));
    }

    private static void assertMessage(String message, String json) {
        ConfigException e = assertThrows(ConfigException.class, () -> HfConfig.parse(json, "c.json"));
        assertEquals(message, e.getMessage());
    }
}
