package dev.posenc.config;

/**
 * A Hugging Face config that cannot be read or whose values make the math undefined. The message is one line:
 * {@code <file>: <key.path>: expected <what>, got <value>} (or {@code <file>: line L, column C: ...} for a JSON
 * syntax error), e.g. {@code llama.json: rope_scaling.factor: expected a number >= 1, got "eight"}. Values and keys
 * taken from the file are escaped and cut ({@link Echo}: {@code "line\nbreak"}, {@code "aaaa…" (1048576
 * characters)}), and any line break or control character left in a message is escaped here, so the message is one
 * line whatever the file holds.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(Echo.oneLine(message));
    }

    public ConfigException(String message, Throwable cause) {
        super(Echo.oneLine(message), cause);
    }

    /** {@code <source>: <keyPath>: expected <expected>, got <got>}. */
    static ConfigException at(String source, String keyPath, String expected, String got) {
        return new ConfigException(source + ": " + keyPath + ": expected " + expected + ", got " + got);
    }
}
