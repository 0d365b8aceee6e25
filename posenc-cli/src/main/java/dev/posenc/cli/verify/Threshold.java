package dev.posenc.cli.verify;

import java.util.function.DoublePredicate;

/**
 * The criterion a measured figure is held to, with the words that state it.
 *
 * @param text the criterion as printed, e.g. {@code <= 1e-05}
 * @param test whether a measured value meets it
 */
public record Threshold(String text, DoublePredicate test) {
    public static Threshold atMost(double limit) {
        return new Threshold("<= " + format(limit), v -> v <= limit);
    }

    public static Threshold atLeast(double limit) {
        return new Threshold(">= " + format(limit), v -> v >= limit);
    }

    public static Threshold equalTo(double expected) {
        return new Threshold("== " + format(expected), v -> v == expected);
    }

    public static Threshold between(double lower, double upper) {
        return new Threshold("in [" + format(lower) + ", " + format(upper) + "]", v -> v >= lower && v <= upper);
    }

    public static Threshold within(double expected, double tolerance) {
        return new Threshold(format(expected) + " +- " + format(tolerance), v -> Math.abs(v - expected) <= tolerance);
    }

    /** {@code measured} checked against this criterion, as a result of the named claim. */
    public CheckResult judge(String name, String claim, double measured) {
        return new CheckResult(name, claim, measured, text, test.test(measured));
    }

    /** Shortest readable form: {@code 1e-05}, {@code 0.5}, {@code 8192}. */
    public static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6) {
            return String.format(java.util.Locale.ROOT, "%.4g", v).replaceAll("\\.?0+$", "");
        }
        return String.format(java.util.Locale.ROOT, "%.3e", v).replaceAll("\\.?0+e", "e");
    }
}
