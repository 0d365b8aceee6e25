package dev.posenc.querykey;

/**
 * A RoPE parameter whose value makes the frequencies undefined: non-finite or zero where the math divides by it, or
 * a value whose derived quantities ({@code inv_freq}, {@code attention_scaling}, the scaled base of dynamic NTK at any
 * sequence length {@link RopeSpec#frequencies(long)} accepts) would not be finite float32 numbers.
 *
 * <p>{@link #parameter()} is the Hugging Face key of the offending value ({@code rope_theta}, {@code factor},
 * {@code attention_factor}, {@code short_factor[3]}, ...), so that a config reader can name the key path in the
 * file it read: the numeric rules live once, in {@link RopeSpec} and the {@link RopeScaling} records, and
 * {@code dev.posenc.config} rethrows them as {@code ConfigException}s with the path.
 */
public final class RopeParameterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The Hugging Face key of the value, e.g. {@code factor} or {@code long_factor[7]}. */
    private final String parameter;
    /** What a valid value looks like, e.g. {@code a finite number > 0}. */
    private final String expected;
    /** The value as given, for messages. */
    private final String actual;

    public RopeParameterException(String parameter, String expected, String actual) {
        super(parameter + ": expected " + expected + ", got " + actual);
        this.parameter = parameter;
        this.expected = expected;
        this.actual = actual;
    }

    /** The Hugging Face key of the offending value ({@code factor}, {@code long_factor[7]}, ...). */
    public String parameter() {
        return parameter;
    }

    /** What a valid value looks like. */
    public String expected() {
        return expected;
    }

    /** The offending value as text. */
    public String actual() {
        return actual;
    }
}
