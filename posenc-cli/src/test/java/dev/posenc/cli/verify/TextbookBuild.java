package dev.posenc.cli.verify;

import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RotaryFrequencies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * A {@link Build} made of the tests' {@link Textbook} encodings: lets the check, plot and report machinery be
 * tested on its own. Config inspection is not part of it.
 */
public class TextbookBuild implements Build {
    @Override
    public RotarySubject rotaryKernel() {
        return Textbook.ROPE;
    }

    @Override
    public RotaryFrequencies defaultFrequencies(int headDim, double ropeTheta, RopeLayout layout) {
        return Textbook.frequencies(headDim, ropeTheta, layout);
    }

    @Override
    public List<Labeled<RotaryFrequencies>> scalingMethods(int headDim, double ropeTheta, int originalContext,
                                                           double factor, int seqLen) {
        RotaryFrequencies base = Textbook.frequencies(headDim, ropeTheta, RopeLayout.HALF);
        float[] linear = base.invFreq();
        for (int i = 0; i < linear.length; i++) {
            linear[i] /= (float) factor;
        }
        List<Labeled<RotaryFrequencies>> out = new ArrayList<>();
        out.add(new Labeled<>("linear (PI)", new RotaryFrequencies(headDim, headDim, RopeLayout.HALF, linear, 1)));
        out.add(new Labeled<>("NTK-aware", Textbook.frequencies(headDim,
                ropeTheta * Math.pow(factor, headDim / (headDim - 2.0)), RopeLayout.HALF)));
        return out;
    }

    @Override
    public SinusoidalTable sinusoidal() {
        return Textbook::sinusoidal;
    }

    @Override
    public LearnedTable learnedTable(int length, int dim) {
        return new LearnedTable() {
            @Override
            public int length() {
                return length;
            }

            @Override
            public float[] row(int position) {
                if (position < 0 || position >= length) {
                    throw new IllegalArgumentException("position " + position + " outside [0, " + length + ")");
                }
                return new float[dim];
            }
        };
    }

    @Override
    public IntUnaryOperator t5Buckets(int numBuckets, int maxDistance, boolean bidirectional) {
        return rp -> Textbook.t5Bucket(rp, numBuckets, maxDistance);
    }

    @Override
    public AlibiSubject alibi(int heads) {
        return (h, i, j) -> Textbook.alibi(h, heads, i, j);
    }

    @Override
    public SequenceAttention attention(boolean rope, long seed) {
        return x -> OtherChecksTest.selfAttention(x, rope);
    }

    @Override
    public Map<String, Object> inspect(Path config) {
        return Map.of("kind", "rope", "model_type", "textbook", "rope_type", "default");
    }

    @Override
    public ConfigBands bands(Path config) {
        RotaryFrequencies f = Textbook.frequencies(128, 500000, RopeLayout.HALF);
        double[] u = new double[64];
        double[] s = new double[64];
        List<String> band = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            u[i] = f.invFreq(i);
            double wl = 2 * Math.PI / u[i];
            if (wl < 8192 / 4.0) {
                s[i] = u[i];
                band.add("kept");
            } else if (wl > 8192) {
                s[i] = u[i] / 8;
                band.add("interpolated");
            } else {
                double sm = (8192 / wl - 1) / 3;
                s[i] = (1 - sm) * u[i] / 8 + sm * u[i];
                band.add("blended");
            }
        }
        return new ConfigBands("textbook-llama3", "llama3", 8192, 131072, u, s, band);
    }
}
