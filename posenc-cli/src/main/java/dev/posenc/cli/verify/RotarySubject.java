package dev.posenc.cli.verify;

import dev.posenc.querykey.RotaryFrequencies;

/**
 * The RoPE kernel under test: rotates one head vector in place, as if it sat at {@code position}. The build's
 * implementation is {@link PosencBuild#rotaryKernel()}; tests pass deliberately broken ones.
 */
@FunctionalInterface
public interface RotarySubject {
    /**
     * @param frequencies the frequencies, layout and attention scaling to rotate with
     * @param x one head, {@code frequencies.headDim()} values, rotated in place
     * @param position the token position
     */
    void rotate(RotaryFrequencies frequencies, float[] x, long position);

    /** A rotated copy of {@code x}. */
    default float[] rotated(RotaryFrequencies frequencies, float[] x, long position) {
        float[] y = x.clone();
        rotate(frequencies, y, position);
        return y;
    }
}
