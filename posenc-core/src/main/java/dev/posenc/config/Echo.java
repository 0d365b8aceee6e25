package dev.posenc.config;

/**
 * How text taken from a config file appears in messages and warnings: on one line and short, whatever the file
 * holds. This is the one place that renders echoed text; {@link ConfigNode#render} (values) and the key paths of
 * {@link ConfigNode} and {@link Json} use it, and {@link ConfigException} passes every message through
 * {@link #oneLine} so that its one-line contract holds for any message.
 *
 * <p>Escapes are JSON's ({@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \f}, <code>&#92;uXXXX</code> for the other
 * C0 controls, DEL, the C1 controls and U+2028/U+2029), so an echoed string reads as it would be written in the
 * file. Echoed text longer than {@link #MAX_ECHO_CHARS} characters (after escaping) is cut there and followed by
 * {@code …} and its length, e.g. {@code "aaaa…" (1048576 characters)}.
 */
final class Echo {
    /** At most this many characters of one echoed value or key are shown. */
    static final int MAX_ECHO_CHARS = 80;

    private Echo() {}

    /** A string value as in the file: quoted, with {@code "} and {@code \} escaped, cut to its first characters. */
    static String quoted(String value) {
        StringBuilder sb = new StringBuilder("\"");
        int shown = append(sb, value, true);
        sb.append(shown < value.length() ? "…\" (" + value.length() + " characters)" : "\"");
        return sb.toString();
    }

    /** A key of a key path or a number as written: unquoted, control characters escaped, cut. */
    static String plain(String text) {
        StringBuilder sb = new StringBuilder();
        int shown = append(sb, text, false);
        if (shown < text.length()) {
            sb.append("…(").append(text.length()).append(" characters)");
        }
        return sb.toString();
    }

    /** {@code message} with every line break and control character escaped; nothing is cut. */
    static String oneLine(String message) {
        for (int i = 0; i < message.length(); i++) {
            if (escape(message.charAt(i), false) != null) {
                StringBuilder sb = new StringBuilder(message.length() + 16).append(message, 0, i);
                for (int j = i; j < message.length(); j++) {
                    char c = message.charAt(j);
                    String e = escape(c, false);
                    if (e == null) {
                        sb.append(c);
                    } else {
                        sb.append(e);
                    }
                }
                return sb.toString();
            }
        }
        return message;
    }

    /** Appends the escaped text up to {@link #MAX_ECHO_CHARS} characters; returns how many chars were shown. */
    private static int append(StringBuilder sb, String text, boolean quoted) {
        int limit = sb.length() + MAX_ECHO_CHARS;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int width = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1;
            String e = escape(c, quoted);
            int length = e == null ? width : e.length();
            if (sb.length() + length > limit) {
                break;
            }
            if (e == null) {
                sb.append(text, i, i + width);
            } else {
                sb.append(e);
            }
            i += width;
        }
        return i;
    }

    /** The escape of {@code c}, or null when it is shown as itself. */
    private static String escape(char c, boolean quoted) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '"' -> quoted ? "\\\"" : null;
            case '\\' -> quoted ? "\\\\" : null;
            default -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                    ? String.format("\\u%04X", (int) c) : null;
        };
    }
}
