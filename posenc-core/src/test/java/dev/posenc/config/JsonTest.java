package dev.posenc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) {
        return (Map<String, Object>) Json.parse(json, "t.json").root();
    }

    @Test
    void readsEveryValueKind() {
        Map<String, Object> m = object("""
                {"s": "a\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00", "i": -12, "f": 1.5e-3, "t": true, "n": null,
                 "l": [1, [], {}], "o": {"x": 0}}""");
        assertEquals("a\"b\\c/\né\uD83D\uDE00", m.get("s"));
        assertEquals(new JsonNumber("-12", -12, true), m.get("i"));
        assertEquals(new JsonNumber("1.5e-3", 1.5e-3, false), m.get("f"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertTrue(m.containsKey("n"));
        assertNull(m.get("n"));
        assertEquals(3, ((List<?>) m.get("l")).size());
        assertEquals(List.of("s", "i", "f", "t", "n", "l", "o"), List.copyOf(m.keySet()), "insertion order");
    }

    @Test
    void acceptsThePythonLiteralsSoValidationCanNameThem() {
        Map<String, Object> m = object("{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity}");
        assertTrue(Double.isNaN(((JsonNumber) m.get("a")).value()));
        assertEquals(Double.POSITIVE_INFINITY, ((JsonNumber) m.get("b")).value());
        assertEquals(Double.NEGATIVE_INFINITY, ((JsonNumber) m.get("c")).value());
        assertEquals("NaN", ((JsonNumber) m.get("a")).text());
    }

    @Test
    void keepsTheLastOfRepeatedKeysAndReportsThem() {
        Json.Document doc = Json.parse("{\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}, \"a\": 3}", "t.json");
        assertEquals(List.of("b.c", "a"), doc.duplicateKeys());
        assertEquals("3", ((JsonNumber) ((Map<?, ?>) doc.root()).get("a")).text());
    }

    @Test
    void skipsAByteOrderMark() {
        assertEquals(Map.of(), object("\uFEFF{}"));
    }

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                Arguments.of("{\"a\": 1,}", "line 1, column 9: expected a string key, got '}'"),
                Arguments.of("{\"a\": 1 \"b\": 2}", "line 1, column 9: expected ',' or '}', got '\"'"),
                Arguments.of("{'a': 1}", "line 1, column 2: expected a string key, got '''"),
                Arguments.of("{\"a\": 01}", "line 1, column 8: expected no leading zeros in a number, got '1'"),
                Arguments.of("{\"a\": 1.}", "line 1, column 9: expected a digit after the decimal point, got '}'"),
                Arguments.of("{\"a\": .5}", "line 1, column 7: expected a value, got '.'"),
                Arguments.of("{\"a\": [1, 2,]}", "line 1, column 13: expected a value, got ']'"),
                Arguments.of("{\"a\": tru}", "line 1, column 7: expected a value, got 't'"),
                Arguments.of("{\"a\": nan}", "line 1, column 7: expected a value, got 'n'"),
                Arguments.of("{\"a\": 1} x", "line 1, column 10: expected the end of the document, got 'x'"),
                Arguments.of("{\"a\": \"\\x\"}",
                        "line 1, column 9: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX, got \\x"),
                Arguments.of("{\"a\": \"\\u12G4\"}", "line 1, column 12: expected a hex digit in \\u escape, got 'G'"),
                Arguments.of("{\"a\": // c\n 1}", "line 1, column 7: expected a value, got a comment (JSON has none)"),
                Arguments.of("{\"a\": 1", "line 1, column 8: expected ',' or '}', got the end of the document"),
                Arguments.of("{\"a\": \"abc", "line 1, column 7: expected a closing '\"' for the string starting "
                        + "here, got the end of the document"),
                Arguments.of("", "line 1, column 1: expected a value, got the end of the document"),
                Arguments.of("{\"a\": -}", "line 1, column 8: expected a digit, got '}'"),
                Arguments.of("{\"a\": 1e}", "line 1, column 9: expected a digit in the exponent, got '}'"));
    }

    @ParameterizedTest
    @MethodSource("syntaxErrors")
    void reportsSyntaxErrorsWithLineAndColumn(String json, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> Json.parse(json, "t.json"));
        assertEquals("t.json: " + message, e.getMessage());
    }

    @Test
    void countsLinesAndColumns() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Json.parse("{\n  \"a\": 1,\n  \"b\": [1 2]\n}", "t.json"));
        assertEquals("t.json: line 3, column 11: expected ',' or ']', got '2'", e.getMessage());
    }

    @Test
    void rejectsRawControlCharactersInStrings() {
        ConfigException e = assertThrows(ConfigException.class, () -> Json.parse("{\"a\": \"x\ty\"}", "t.json"));
        assertEquals("t.json: line 1, column 9: expected an escaped control character inside a string, "
                + "got control character U+0009", e.getMessage());
    }

    @Test
    void limitsNesting() {
        String deep = "[".repeat(600) + "]".repeat(600);
        ConfigException e = assertThrows(ConfigException.class, () -> Json.parse(deep, "t.json"));
        assertTrue(e.getMessage().contains("expected at most 512 nested arrays and objects"), e.getMessage());
    }
}
