package dev.posenc.cli.explore;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query parameters of one API request, read with the range each one must lie in. A value out of range, or not
 * a number, is an {@link IllegalArgumentException} whose one-line message names the parameter, what was expected
 * and what was given, as the CLI's flags do.
 */
record Query(Map<String, String> values) {
    Query {
        values = Map.copyOf(values);
    }

    static Query parse(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String part : rawQuery.split("&")) {
                int eq = part.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
                values.put(key, value);
            }
        }
        return new Query(values);
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String choice(String name, String fallback, List<String> allowed) {
        String v = string(name, fallback);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(name + ": expected one of " + String.join(", ", allowed) + ", got \""
                    + v + "\"");
        }
        return v;
    }

    long integer(String name, long fallback, long min, long max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            long x = Long.parseLong(v.strip());
            if (x >= min && x <= max) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": expected an integer in [" + min + ", " + max + "], got \"" + v
                + "\"");
    }

    int evenInteger(String name, int fallback, int min, int max) {
        long x = integer(name, fallback, min, max);
        if (x % 2 != 0) {
            throw new IllegalArgumentException(name + ": expected an even integer in [" + min + ", " + max + "], got "
                    + x);
        }
        return (int) x;
    }

    double number(String name, double fallback, double min, double max) {
        String v = values.get(name);
        return v == null ? fallback : parseNumber(name, v, min, max);
    }

    /** A comma-separated list of 1 to {@code maxCount} numbers. */
    double[] numbers(String name, double[] fallback, double min, double max, int maxCount) {
        String v = values.get(name);
        if (v == null) {
            return fallback.clone();
        }
        String[] parts = v.split(",", -1);
        if (parts.length > maxCount) {
            throw new IllegalArgumentException(name + ": expected at most " + maxCount + " comma-separated numbers, got "
                    + parts.length);
        }
        return Arrays.stream(parts).mapToDouble(p -> parseNumber(name, p, min, max)).toArray();
    }

    /** A comma-separated permutation of {@code 0 .. n-1}. */
    int[] permutation(String name, int n) {
        String v = values.get(name);
        int[] order = new int[n];
        if (v == null) {
            Arrays.setAll(order, i -> i);
            return order;
        }
        String[] parts = v.split(",", -1);
        boolean[] seen = new boolean[n];
        boolean ok = parts.length == n;
        for (int i = 0; ok && i < n; i++) {
            try {
                order[i] = Integer.parseInt(parts[i].strip());
                ok = order[i] >= 0 && order[i] < n && !seen[order[i]];
                if (ok) {
                    seen[order[i]] = true;
                }
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException(name + ": expected a permutation of 0.." + (n - 1)
                    + " (comma-separated), got \"" + v + "\"");
        }
        return order;
    }

    private static double parseNumber(String name, String v, double min, double max) {
        try {
            double x = Double.parseDouble(v.strip());
            if (x >= min && x <= max) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": expected a number in [" + format(min) + ", " + format(max)
                + "], got \"" + v + "\"");
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
