package dev.posenc.querykey;

import java.util.Objects;

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
        super(Objects.requireNonNull(parameter, "parameter") + ": expected "
                + Objects.requireNonNull(expected, "expected") + ", got " + Objects.requireNonNull(actual, "actual"));
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

    // The shared numeric checks of RopeSpec and the RopeScaling records (package-private).

    /** Finite, {@code > 0}, and neither 0 nor infinite once rounded to float32. */
    static double requireFloat32Positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new RopeParameterException(name, "a finite number > 0", format(value));
        }
        float f = (float) value;
        if (f == 0f || Float.isInfinite(f)) {
            throw new RopeParameterException(name, "a number > 0 that float32 can hold (between 1.4e-45 and "
                    + "3.4e38, as Hugging Face's tensors do)", format(value));
        }
        return value;
    }

    /** Finite once rounded to float32. */
    static double requireFloat32Finite(String name, double value) {
        if (!Double.isFinite(value) || Float.isInfinite((float) value)) {
            throw new RopeParameterException(name, "a number float32 can hold (|x| <= 3.4e38)", format(value));
        }
        return value;
    }

    /** An attention scaling, given or derived from {@code parameter}: see {@link RopeScaling#MAX_ATTENTION_SCALING}. */
    static void requireAttentionScaling(String parameter, double scaling, String value) {
        if (!(scaling > 0 && scaling <= RopeScaling.MAX_ATTENTION_SCALING)) {
            throw new RopeParameterException(parameter, "a value giving an attention scaling in (0, 1.8e19] (cos "
                    + "and sin are multiplied by it and attention logits by its square, which float32 must hold; "
                    + "this gives " + scaling + ")", value);
        }
    }

    /** A number for messages: integral values without a fraction. */
    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
