package dev.posenc.cli.plot;

import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/**
 * A continuous colour map for heatmaps: linear interpolation in RGB between evenly spaced anchor colours, with
 * values outside {@code [lower, upper]} clamped. Immutable.
 */
public final class ColorRamp implements PaintScale {
    /** Blue, white, red: for signed values such as sin/cos (anchors from ColorBrewer's RdBu). */
    private static final Color[] DIVERGING = {
        new Color(0x2166ac), new Color(0x67a9cf), new Color(0xf7f7f7), new Color(0xef8a62), new Color(0xb2182b)
    };
    /** Dark blue to yellow, perceptually ordered: for counts and indices (anchors sampled from matplotlib's viridis). */
    private static final Color[] SEQUENTIAL = {
        new Color(0x440154), new Color(0x3b528b), new Color(0x21918c), new Color(0x5ec962), new Color(0xfde725)
    };

    private final double lower;
    private final double upper;
    private final Color[] anchors;

    private ColorRamp(double lower, double upper, Color[] anchors) {
        if (!(lower < upper)) {
            throw new IllegalArgumentException("colour range must have lower < upper, got " + lower + ", " + upper);
        }
        this.lower = lower;
        this.upper = upper;
        this.anchors = anchors;
    }

    public static ColorRamp diverging(double lower, double upper) {
        return new ColorRamp(lower, upper, DIVERGING);
    }

    public static ColorRamp sequential(double lower, double upper) {
        return new ColorRamp(lower, upper, SEQUENTIAL);
    }

    @Override
    public double getLowerBound() {
        return lower;
    }

    @Override
    public double getUpperBound() {
        return upper;
    }

    @Override
    public Paint getPaint(double value) {
        double t = Double.isNaN(value) ? 0 : Math.clamp((value - lower) / (upper - lower), 0.0, 1.0);
        double scaled = t * (anchors.length - 1);
        int i = Math.min((int) scaled, anchors.length - 2);
        double f = scaled - i;
        Color a = anchors[i];
        Color b = anchors[i + 1];
        return new Color(
                (int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }
}
