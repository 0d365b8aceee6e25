package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * FLOATER (arXiv:2003.09229): positions {@code p(t)} from the ODE {@code dp/dt = h(p, t)}, integrated with a
 * fixed-step RK4 (step 1, one step per position), added to the input times a learned gain (initialised like {@link SinusoidalAbsolute}'s).
 * Dynamics {@code h(p) = Ω·p + W2·tanh(W1·p + b1)}: {@code Ω} is the fixed generator whose flow is the interleaved
 * sinusoid ({@code d sin(ωt)/dt = ω cos}, {@code d cos/dt = −ω sin}) and {@code W2} starts at zero, so training
 * starts at the sinusoidal encoding (the special case the paper points out; with step 1, RK4 follows every pair
 * with ω ≤ 0.1 to float precision, while the fastest pair, ω = 1, drifts by about 1% a position) and learns away
 * from it.
 * The integration runs in the autograd graph; a test holds it equal to the same RK4 in double precision.
 */
final class Floater implements PositionalEncoding {
    private final ConstantCache constants;
    private final NDArray w1;
    private final NDArray b1;
    private final NDArray w2;
    private final NDArray gain;
    private final int dModel;

    Floater(ParameterSet parameters, int dModel) {
        this.dModel = dModel;
        this.constants = new ConstantCache(parameters.manager());
        this.w1 = parameters.normal("pos.floater.w1", 1 / Math.sqrt(dModel), dModel, dModel);
        this.b1 = parameters.constant("pos.floater.b1", 0f, dModel);
        this.w2 = parameters.constant("pos.floater.w2", 0f, dModel, dModel);
        this.gain = parameters.constant("pos.floater.gain", SinusoidalAbsolute.INITIAL_GAIN, 1);
    }

    @Override
    public String name() {
        return "floater";
    }

    /** Ω as the matrix acting on row vectors ({@code p·Ωᵀ}), frequencies {@code 10000^(−2i/d)}. */
    static float[] generatorTransposed(int dModel) {
        float[] omegaT = new float[dModel * dModel];
        for (int i = 0; i < dModel / 2; i++) {
            double omega = Math.pow(10000, -2.0 * i / dModel);
            int s = 2 * i;
            int c = 2 * i + 1;
            // d p_s/dt = ω p_c ; d p_c/dt = −ω p_s   (row-vector form: (p·Ωᵀ)_s = Σ_k p_k Ω_sk)
            omegaT[c * dModel + s] = (float) omega;
            omegaT[s * dModel + c] = (float) -omega;
        }
        return omegaT;
    }

    @Override
    public void prepare(int seqLen) {
        constants.floats("omegaT", 0, new Shape(dModel, dModel), t -> generatorTransposed(dModel));
        constants.floats("p0", 0, new Shape(1, dModel), t -> CoreTables.sinusoidalInterleaved(1, dModel));
    }

    NDArray dynamics(NDArray p) {
        NDArray linear = p.matMul(constants.get("omegaT", 0));
        return linear.add(Activation.tanh(p.matMul(w1.transpose()).add(b1)).matMul(w2.transpose()));
    }

    /** {@code p(0..T−1)} as {@code [T, D]}, RK4 with step 1, in the graph. */
    NDArray positions(int seqLen) {
        NDArray[] rows = new NDArray[seqLen];
        NDArray p = constants.get("p0", 0);
        rows[0] = p;
        for (int t = 1; t < seqLen; t++) {
            NDArray k1 = dynamics(p);
            NDArray k2 = dynamics(p.add(k1.mul(0.5f)));
            NDArray k3 = dynamics(p.add(k2.mul(0.5f)));
            NDArray k4 = dynamics(p.add(k3));
            p = p.add(k1.add(k2.mul(2)).add(k3.mul(2)).add(k4).div(6));
            rows[t] = p;
        }
        return new ai.djl.ndarray.NDList(rows).stream().reduce((a, b) -> a.concat(b, 0)).orElseThrow();
    }

    @Override
    public NDArray input(NDArray x, int seqLen) {
        return x.add(positions(seqLen).mul(gain));
    }
}
