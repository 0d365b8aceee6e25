package dev.posenc.config;

/**
 * A number read from a config together with where it came from, so that an error about it names the key it was read
 * from: a value standardization moved (Hugging Face moves a top-level {@code rope_theta} or
 * {@code partial_rotary_factor} into the rope dict) is still reported at the key the file holds.
 *
 * @param value the number
 * @param origin the object it was read from, or {@code null} for a default
 * @param key its key in {@code origin}, or {@code null} for a default
 */
record SourcedValue(double value, ConfigNode origin, String key) {

    static SourcedValue defaultValue(double value) {
        return new SourcedValue(value, null, null);
    }

    boolean isDefault() {
        return origin == null;
    }

    /** The key path in the file ({@code null} for a default). */
    String path() {
        return origin == null ? null : origin.path(key);
    }

    ConfigException error(String expected) {
        return origin.error(key, expected);
    }
}
