package dev.posenc.querykey;

/**
 * The 16-bit floating-point formats inference engines keep queries, keys and the KV cache in, as raw bits in a
 * {@code short}: IEEE 754 binary16 ({@code torch.float16}, ggml {@code F16}) and bfloat16 ({@code torch.bfloat16},
 * ggml {@code BF16}).
 *
 * <p>Conversions are the ones torch's CPU kernels use (c10 {@code Half.h}, {@code BFloat16.h}): widening is exact;
 * narrowing rounds to nearest, ties to even, overflows to infinity, keeps subnormals, and turns every NaN into the
 * format's quiet NaN ({@code sign | 0x7E00} for float16 as torch does, {@code 0x7FC0} for bfloat16).
 */
public enum HalfFloat {
    /** IEEE 754 binary16: 1 sign, 5 exponent, 10 fraction bits; largest finite value 65504. */
    FLOAT16 {
        @Override
        public float toFloat(short bits) {
            return Float.float16ToFloat(bits);
        }

        @Override
        public short fromFloat(float value) {
            if (Float.isNaN(value)) {
                return (short) (((Float.floatToRawIntBits(value) >>> 16) & 0x8000) | 0x7E00);
            }
            return Float.floatToFloat16(value);
        }
    },
    /** bfloat16: the upper half of a float32 (1 sign, 8 exponent, 7 fraction bits). */
    BFLOAT16 {
        @Override
        public float toFloat(short bits) {
            return Float.intBitsToFloat(bits << 16);
        }

        @Override
        public short fromFloat(float value) {
            if (Float.isNaN(value)) {
                return 0x7FC0;
            }
            int bits = Float.floatToRawIntBits(value);
            // round to nearest even on the 16 dropped bits (c10::detail::round_to_nearest_even)
            return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
        }
    };

    /** The value of {@code bits} in this format, exactly. */
    public abstract float toFloat(short bits);

    /** {@code value} rounded to this format (nearest, ties to even). */
    public abstract short fromFloat(float value);

    /** {@code value} rounded to this format and widened back: {@code toFloat(fromFloat(value))}. */
    public float round(float value) {
        return toFloat(fromFloat(value));
    }
}
