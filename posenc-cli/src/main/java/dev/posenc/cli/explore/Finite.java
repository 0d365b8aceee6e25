package dev.posenc.cli.explore;

import java.util.Collection;
import java.util.Map;

/**
 * The API's guarantee that no response holds NaN or an infinity (JSON has neither): every number of a result is
 * checked before it is written, and a non-finite one is an internal error, never a value sent to the page.
 */
final class Finite {
    private Finite() {}

    static Object check(Object value) {
        walk(value, "result");
        return value;
    }

    private static void walk(Object v, String where) {
        switch (v) {
            case null -> { }
            case Double d -> require(d, where);
            case Float f -> require(f, where);
            case double[] a -> {
                for (int i = 0; i < a.length; i++) {
                    require(a[i], where + "[" + i + "]");
                }
            }
            case float[] a -> {
                for (int i = 0; i < a.length; i++) {
                    require(a[i], where + "[" + i + "]");
                }
            }
            case Object[] a -> {
                for (int i = 0; i < a.length; i++) {
                    walk(a[i], where + "[" + i + "]");
                }
            }
            case Map<?, ?> m -> m.forEach((k, x) -> walk(x, where + "." + k));
            case Collection<?> c -> {
                int i = 0;
                for (Object x : c) {
                    walk(x, where + "[" + i++ + "]");
                }
            }
            default -> { }
        }
    }

    private static void require(double x, String where) {
        if (!Double.isFinite(x)) {
            throw new IllegalStateException(where + " is " + x + ": the API sends finite numbers only");
        }
    }
}
