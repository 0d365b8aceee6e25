package dev.posenc.cli.plot;

import dev.posenc.cli.verify.AbsoluteChecks;
import dev.posenc.cli.verify.AlibiSubject;
import dev.posenc.cli.verify.Build;
import dev.posenc.cli.verify.ConfigBands;
import dev.posenc.cli.verify.LogitChecks;
import java.awt.Color;
import java.util.function.IntUnaryOperator;
import org.jfree.chart.JFreeChart;

/** Pictures of the absolute and logit encodings and of a config's frequency bands, computed by the build. */
final class EncodingPlots {
    static final int SINUSOIDAL_POSITIONS = 128;
    static final int SINUSOIDAL_D_MODEL = 128;
    static final int T5_SPAN = 160;
    static final int ALIBI_DISTANCE = 64;

    private EncodingPlots() {}

    static Figure sinusoidal(Build build) {
        double[][] pe = build.sinusoidal().rows(SINUSOIDAL_POSITIONS, SINUSOIDAL_D_MODEL);
        JFreeChart chart = Charts.heatmap("Sinusoidal position encoding (d_model = 128)", "dimension i",
                "position", pe, 0, 1, 0, 1, ColorRamp.diverging(-1, 1), "PE(pos, i)", true);
        return new Figure("sinusoidal", "PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(...): the first"
                + " dimensions oscillate fast (wavelength 2π), the last ones barely move (wavelength up to"
                + " 10000·2π).", chart, 760, 560, true);
    }

    static Figure wavelengths(Build build) {
        double[] lambda = AbsoluteChecks.wavelengths(build.sinusoidal(), 512);
        double[] x = new double[lambda.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        JFreeChart chart = Charts.lines("Sinusoidal wavelengths (d_model = 512)", "pair index i",
                "wavelength (tokens, log scale)").logY().yRange(3, 2e5)
                .series("2π / ω_i, read off PE(1)", x, lambda)
                .yMarker(2 * Math.PI, "2π")
                .yMarker(10000 * 2 * Math.PI, "10000·2π")
                .build();
        return new Figure("wavelengths", "The wavelengths form a geometric progression from 2π up to just under"
                + " 10000·2π, as the survey says.", chart, 760, 420);
    }

    static Figure t5Buckets(Build build) {
        IntUnaryOperator bucket = build.t5Buckets(LogitChecks.T5_NUM_BUCKETS, LogitChecks.T5_MAX_DISTANCE, true);
        double[][] z = new double[T5_SPAN][T5_SPAN];
        for (int i = 0; i < T5_SPAN; i++) {
            for (int j = 0; j < T5_SPAN; j++) {
                z[i][j] = bucket.applyAsInt(j - i);
            }
        }
        JFreeChart chart = Charts.heatmap("T5 relative-position buckets (32 buckets, max distance 128, bidirectional)",
                "key position j", "query position i", z, 0, 1, 0, 1,
                ColorRamp.sequential(0, LogitChecks.T5_NUM_BUCKETS - 1), "bucket", true);
        return new Figure("t5-buckets", "Bucket of key − query for every pair of positions: distances below 8 get"
                + " a bucket each, farther ones share logarithmically wider buckets, and everything past 128 shares"
                + " the last one (keys after the query use buckets 16–31).", chart, 720, 600, true);
    }

    static Figure alibi(Build build) {
        int heads = LogitChecks.ALIBI_HEADS;
        AlibiSubject bias = build.alibi(heads);
        Charts.Lines chart = Charts.lines("ALiBi bias per head (8 heads, slopes 2^(-8h/8))", "distance i − j",
                "bias added to the logit");
        double[] x = new double[ALIBI_DISTANCE + 1];
        for (int d = 0; d <= ALIBI_DISTANCE; d++) {
            x[d] = d;
        }
        double[] slopes = LogitChecks.alibiSlopes(bias, heads);
        for (int h = 0; h < heads; h++) {
            double[] y = new double[x.length];
            for (int d = 0; d <= ALIBI_DISTANCE; d++) {
                y[d] = bias.bias(h, ALIBI_DISTANCE, ALIBI_DISTANCE - d);
            }
            chart.series("head " + (h + 1) + " (slope " + String.format(java.util.Locale.ROOT, "%.4g", -slopes[h])
                    + ")", x, y);
        }
        return new Figure("alibi", "Each head subtracts its own slope times the distance: a linear penalty, steep"
                + " in the first heads, nearly flat in the last.", chart.build(), 760, 480);
    }

    static Figure bands(ConfigBands c) {
        int n = c.invFreq().length;
        double[] x = new double[n];
        double[] unscaled = new double[n];
        double[] scaled = new double[n];
        double[] u = c.unscaledInvFreq();
        double[] s = c.invFreq();
        for (int i = 0; i < n; i++) {
            x[i] = i;
            unscaled[i] = 2 * Math.PI / u[i];
            scaled[i] = 2 * Math.PI / s[i];
        }
        double top = Math.max(c.extendedContext(), java.util.Arrays.stream(scaled).filter(Double::isFinite).max()
                .orElse(1));
        Charts.Lines chart = Charts.lines("Frequency bands of " + c.model() + " (rope_type " + c.ropeType() + ")",
                "pair index i", "wavelength 2π / inv_freq (tokens, log scale)").logY().yRange(3, top * 3);
        chart.series("unscaled θ^(-2i/d)", x, unscaled, true, false, Color.GRAY);
        chart.series("as scaled (" + c.ropeType() + ")", x, scaled, false, true, Charts.PALETTE[0]);
        Color[] bandColor = {Charts.PALETTE[2], Charts.PALETTE[1], Charts.PALETTE[4]};
        String[] bandName = {"kept", "interpolated", "blended"};
        int start = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || !c.band().get(i).equals(c.band().get(start))) {
                int k = java.util.Arrays.asList(bandName).indexOf(c.band().get(start));
                chart.xBand(start - 0.5, i - 0.5, k >= 0 ? bandColor[k] : Color.LIGHT_GRAY, c.band().get(start));
                start = i;
            }
        }
        chart.yMarker(c.originalContext(), "original context " + c.originalContext());
        if (c.extendedContext() != c.originalContext()) {
            chart.yMarker(c.extendedContext(), "extended context " + c.extendedContext());
        }
        return new Figure("bands", "Wavelength of every rotary pair before (dashed) and after (dots) the config's"
                + " scaling, for a pass over the whole extended context, against the original and extended context."
                + " Shaded: pairs kept as trained, interpolated (divided by the factor) or blended between the two.",
                chart.build(), 820, 500);
    }
}
