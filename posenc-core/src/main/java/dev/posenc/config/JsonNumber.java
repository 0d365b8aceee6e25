package dev.posenc.config;

/**
 * A JSON number as Python's {@code json} module reads it: {@code integral} numbers (no fraction, no exponent) are
 * Python {@code int}s, the others {@code float}s. {@code NaN}, {@code Infinity} and {@code -Infinity}, which Python
 * writes, are accepted by the reader so that validation can reject them by name.
 *
 * @param text the literal as written
 * @param value its double value (may be NaN or infinite)
 * @param integral whether Python would read it as an {@code int}
 */
record JsonNumber(String text, double value, boolean integral) {
    @Override
    public String toString() {
        return text;
    }
}
