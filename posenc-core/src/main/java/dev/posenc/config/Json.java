package dev.posenc.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader (RFC 8259) for config files, with no dependencies.
 *
 * <p>Values: objects become insertion-ordered {@code Map<String, Object>}, arrays {@code List<Object>}, strings
 * {@code String}, numbers {@link JsonNumber}, {@code true}/{@code false} {@code Boolean}, {@code null} Java
 * {@code null}. Beyond RFC 8259 it accepts exactly what Python's {@code json.dumps} writes and RFC 8259 does not:
 * the literals {@code NaN}, {@code Infinity} and {@code -Infinity} (and a leading UTF-8 byte-order mark). Comments,
 * trailing commas, single quotes, unescaped control characters and leading zeros are syntax errors, reported as
 * {@code <source>: line L, column C: expected ..., got ...}. A key repeated in one object keeps its last value, as
 * Python does; the repeated keys are reported in {@link Document#duplicateKeys()} so the caller can warn.
 *
 * <p>At most {@link #MAX_DEPTH} nested arrays and objects: the reader recurses once per level, so the depth bounds
 * its stack. (The size of a document is bounded by {@link HfConfig#MAX_CONFIG_SIZE}.)
 *
 * <p>Implementation: parsing is linear in the length of the text. The reader does not build the key path of each
 * value as it goes (a long key over a long array made that quadratic); it keeps the key or index of each open level
 * in {@link #keys}/{@link #indices} and renders a path only for a repeated key, at most
 * {@link #MAX_LISTED_DUPLICATES} of them.
 */
final class Json {
    /** The most nested arrays and objects. */
    static final int MAX_DEPTH = 512;
    /** Repeated keys beyond this many are counted in {@link Document#unlistedDuplicates()}, not listed. */
    static final int MAX_LISTED_DUPLICATES = 32;

    /**
     * The parsed document: the root value, the key paths that occurred more than once in their object (the first
     * {@link #MAX_LISTED_DUPLICATES}), and how many more repeated keys there were.
     */
    record Document(Object root, List<String> duplicateKeys, int unlistedDuplicates) {}

    private final String text;
    private final String source;
    private final List<String> duplicateKeys = new ArrayList<>();
    private int unlistedDuplicates;
    private int pos;
    private int depth;
    /** The key at each open object level ({@code keys[d]} for level {@code d}, 1-based), null for arrays. */
    private final String[] keys = new String[MAX_DEPTH + 1];
    /** The index at each open array level. */
    private final int[] indices = new int[MAX_DEPTH + 1];

    private Json(String text, String source) {
        this.text = text;
        this.source = source;
    }

    static Document parse(String text, String source) {
        Json json = new Json(text, source);
        if (text.startsWith("\uFEFF")) {
            json.pos = 1;
        }
        json.skipWhitespace();
        Object root = json.value();
        json.skipWhitespace();
        if (json.pos < text.length()) {
            throw json.error("the end of the document", json.describeHere());
        }
        return new Document(root, List.copyOf(json.duplicateKeys), json.unlistedDuplicates);
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("a value", "the end of the document");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            case 'N' -> literal("NaN", new JsonNumber("NaN", Double.NaN, false));
            case 'I' -> literal("Infinity", new JsonNumber("Infinity", Double.POSITIVE_INFINITY, false));
            default -> {
                if (c == '-' && text.startsWith("-Infinity", pos)) {
                    yield literal("-Infinity", new JsonNumber("-Infinity", Double.NEGATIVE_INFINITY, false));
                }
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("a value", describeHere());
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("a string key", describeHere());
            }
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            keys[depth] = key;
            Object value = value();
            if (map.containsKey(key)) {
                duplicate();
            }
            map.put(key, value);
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                depth--;
                return map;
            } else {
                throw error("',' or '}'", describeHere());
            }
        }
    }

    private List<Object> array() {
        enter();
        pos++;
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            skipWhitespace();
            keys[depth] = null;
            indices[depth] = list.size();
            list.add(value());
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                depth--;
                return list;
            } else {
                throw error("',' or ']'", describeHere());
            }
        }
    }

    /** Records the key at the current level as repeated. */
    private void duplicate() {
        if (duplicateKeys.size() == MAX_LISTED_DUPLICATES) {
            unlistedDuplicates++;
            return;
        }
        StringBuilder path = new StringBuilder();
        for (int d = 1; d <= depth; d++) {
            if (keys[d] == null) {
                path.append('[').append(indices[d]).append(']');
            } else {
                path.append(d == 1 ? "" : ".").append(Echo.plain(keys[d]));
            }
        }
        duplicateKeys.add(path.toString());
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("at most " + MAX_DEPTH + " nested arrays and objects", "more");
        }
    }

    private String string() {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                pos = start;
                throw error("a closing '\"' for the string starting here", "the end of the document");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("an escaped control character inside a string", describeChar(c));
            }
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            pos++;
            if (pos >= text.length()) {
                throw error("an escape sequence", "the end of the document");
            }
            char e = text.charAt(pos);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 >= text.length()) {
                        throw error("four hex digits after \\u", "the end of the document");
                    }
                    int code = 0;
                    for (int k = 1; k <= 4; k++) {
                        int digit = Character.digit(text.charAt(pos + k), 16);
                        if (digit < 0) {
                            pos += k;
                            throw error("a hex digit in \\u escape", describeHere());
                        }
                        code = code * 16 + digit;
                    }
                    sb.append((char) code);
                    pos += 4;
                }
                default -> throw error("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", "\\" + e);
            }
            pos++;
        }
    }

    private JsonNumber number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("no leading zeros in a number", describeHere());
            }
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("a digit", describeHere());
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("a digit after the decimal point", describeHere());
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("a digit in the exponent", describeHere());
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        String literal = text.substring(start, pos);
        return new JsonNumber(literal, Double.parseDouble(literal), integral);
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("a value", describeHere());
        }
        pos += word.length();
        if (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
            throw error("a separator after " + word, describeHere());
        }
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("'" + c + "'", describeHere());
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private String describeHere() {
        if (pos >= text.length()) {
            return "the end of the document";
        }
        char c = text.charAt(pos);
        if (c == '/' && pos + 1 < text.length() && (text.charAt(pos + 1) == '/' || text.charAt(pos + 1) == '*')) {
            return "a comment (JSON has none)";
        }
        return describeChar(c);
    }

    private static String describeChar(char c) {
        if (c < 0x20 || c == 0x7f) {
            return String.format("control character U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private ConfigException error(String expected, String got) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new ConfigException(source + ": line " + line + ", column " + column + ": expected " + expected
                + ", got " + got);
    }
}
