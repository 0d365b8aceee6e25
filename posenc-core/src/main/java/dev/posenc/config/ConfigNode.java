package dev.posenc.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One JSON object of a config with typed, validating accessors. Every value keeps its key path ({@code
 * text_config.rope_scaling.factor}) so that errors and warnings name it. Absent keys and JSON {@code null} read as
 * "not set" (Hugging Face's {@code dict.get} and {@code x or default} treat them alike) unless a caller asks
 * {@link #containsNull(String)}.
 */
final class ConfigNode {
    private final String source;
    private final String prefix;
    private final Map<String, Object> values;
    /** Key paths of entries merged in from another object ({@link #updatedWith}); others live under prefix. */
    private final Map<String, String> foreignPaths;
    private final List<String> warnings;

    private ConfigNode(String source, String prefix, Map<String, Object> values, Map<String, String> foreignPaths,
                       List<String> warnings) {
        this.source = source;
        this.prefix = prefix;
        this.values = values;
        this.foreignPaths = foreignPaths;
        this.warnings = warnings;
    }

    static ConfigNode root(String source, Map<String, Object> values, List<String> warnings) {
        return of(source, "", values, warnings);
    }

    private static ConfigNode of(String source, String prefix, Map<String, Object> values, List<String> warnings) {
        return new ConfigNode(source, prefix, values, Map.of(), warnings);
    }

    /** An empty object standing for an absent dict at {@code path}. */
    ConfigNode empty(String path) {
        return of(source, path, Map.of(), warnings);
    }

    /** This object with the entries of {@code overrides} put over it (Python's {@code dict.update}). */
    ConfigNode updatedWith(ConfigNode overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(values);
        Map<String, String> paths = new LinkedHashMap<>(foreignPaths);
        for (String key : overrides.values.keySet()) {
            merged.put(key, overrides.values.get(key));
            paths.put(key, overrides.path(key));
        }
        return new ConfigNode(source, prefix, merged, paths, warnings);
    }

    /**
     * This object with {@code defaults} for the keys it lacks (Python's {@code setdefault}); a default's key path is
     * this object's, as the config class puts it there.
     */
    ConfigNode withDefaults(Map<String, Object> defaults) {
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        merged.putAll(values);
        return new ConfigNode(source, prefix, merged, foreignPaths, warnings);
    }

    /** A number as the JSON reader would have read {@code text}. */
    static JsonNumber number(String text) {
        double v = Double.parseDouble(text);
        return new JsonNumber(text, v, !text.contains(".") && !text.contains("e") && !text.contains("E"));
    }

    String source() {
        return source;
    }

    /** The full key path of {@code key} in this object (also for keys that are absent). */
    String path(String key) {
        String foreign = foreignPaths.get(key);
        if (foreign != null) {
            return foreign;
        }
        return prefix.isEmpty() ? Echo.plain(key) : prefix + "." + Echo.plain(key);
    }

    /** The key path of this object itself ({@code ""} for the root). */
    String prefix() {
        return prefix;
    }

    Set<String> keys() {
        return values.keySet();
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** Present with a non-null value. */
    boolean has(String key) {
        return values.get(key) != null;
    }

    /** Present with the value JSON {@code null}. */
    boolean containsNull(String key) {
        return values.containsKey(key) && values.get(key) == null;
    }

    Object raw(String key) {
        return values.get(key);
    }

    void warn(String message) {
        warnings.add(message);
    }

    void warn(String key, String message) {
        warnings.add(path(key) + ": " + message);
    }

    ConfigException error(String key, String expected) {
        return ConfigException.at(source, path(key), expected, values.containsKey(key) ? render(values.get(key))
                : "nothing");
    }

    /** A finite number, or empty when absent/null; anything else is an error that states {@code expected}. */
    OptionalDouble number(String key, String expected) {
        Object v = values.get(key);
        if (v == null) {
            return OptionalDouble.empty();
        }
        if (!(v instanceof JsonNumber n) || !Double.isFinite(n.value())) {
            throw error(key, expected);
        }
        return OptionalDouble.of(n.value());
    }

    /** Whether the value is a number Python reads as {@code int} (no fraction, no exponent). */
    boolean isIntegerLiteral(String key) {
        return values.get(key) instanceof JsonNumber n && n.integral();
    }

    /** A number with an integral value in {@code [min, Integer.MAX_VALUE]}, or empty when absent/null. */
    OptionalInt integer(String key, int min, String expected) {
        return integer(key, min, Integer.MAX_VALUE, expected);
    }

    /** A number with an integral value in {@code [min, max]}, or empty when absent/null. */
    OptionalInt integer(String key, int min, int max, String expected) {
        OptionalDouble d = number(key, expected);
        if (d.isEmpty()) {
            return OptionalInt.empty();
        }
        double v = d.getAsDouble();
        if (v != Math.rint(v) || v < min || v > max) {
            throw error(key, expected);
        }
        return OptionalInt.of((int) v);
    }

    Optional<String> string(String key, String expected) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw error(key, expected);
        }
        return Optional.of(s);
    }

    Optional<Boolean> bool(String key, String expected) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Boolean b)) {
            throw error(key, expected);
        }
        return Optional.of(b);
    }

    /** A nested object, or empty when absent/null. */
    Optional<ConfigNode> object(String key, String expected) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw error(key, expected);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) map;
        return Optional.of(of(source, path(key), m, warnings));
    }

    /** A list, or empty when absent/null. */
    Optional<List<Object>> list(String key, String expected) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof List<?> l)) {
            throw error(key, expected);
        }
        return Optional.of(new ArrayList<>(l));
    }

    /** A list of finite numbers, or empty when absent/null. */
    Optional<double[]> numbers(String key, String expected) {
        Optional<List<Object>> list = list(key, expected);
        if (list.isEmpty()) {
            return Optional.empty();
        }
        double[] out = new double[list.get().size()];
        for (int i = 0; i < out.length; i++) {
            Object item = list.get().get(i);
            if (!(item instanceof JsonNumber n) || !Double.isFinite(n.value())) {
                throw ConfigException.at(source, path(key) + "[" + i + "]", expected, render(item));
            }
            out[i] = n.value();
        }
        return Optional.of(out);
    }

    /**
     * A value as it appears in messages: JSON strings quoted and numbers as written, both on one line and cut to
     * {@link Echo#MAX_ECHO_CHARS} characters; containers described.
     */
    static String render(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> Echo.quoted(s);
            case JsonNumber n -> Echo.plain(n.text());
            case Boolean b -> b.toString();
            case Map<?, ?> m -> m.isEmpty() ? "an empty object" : "an object";
            case List<?> l -> "a list of " + l.size() + (l.size() == 1 ? " value" : " values");
            default -> String.valueOf(value);
        };
    }

    /** A number for messages: integral values without a fraction. */
    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
