package dev.posenc.lab.encoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.posenc.input.RecurrentPositions;
import dev.posenc.lab.ConstantCache;
import dev.posenc.lab.OwnedTensors;
import dev.posenc.lab.ParameterSet;

/**
 * FLOATER (arXiv:2003.09229): positions {@code p(t)} from the neural ODE {@code dp/dt = h(p, t)}, integrated with a
 * fixed-step RK4 (step 1, one step per position), added to the input times a learned gain (initialised like
 * {@link SinusoidalAbsolute}'s).
 *
 * <p>Dynamics {@code h(p, t) = (Ω + S)·p + W2·tanh(w1·t/τ + b1)}, {@code τ} = {@value #TIME_SCALE}:
 * <ul>
 *   <li>{@code Ω} is the fixed generator whose flow is the interleaved sinusoid ({@code d sin(ωt)/dt = ω cos},
 *       {@code d cos/dt = −ω sin}, {@code ω_i = 10000^(−2i/d)}), and {@code p(0)} its value at 0: both from
 *       posenc-core's FLOATER, {@link CoreTables#floaterSinusoid} ({@code RotationDynamics});
 *   <li>{@code S = tanh(A − Aᵀ)/D} is learned and skew-symmetric (tanh is odd), so the state-dependent part of the
 *       flow stays a rotation, and {@code ‖S‖ ≤ ‖S‖_F ≤ 1}: the eigenvalues of {@code Ω + S} are imaginary with
 *       modulus ≤ 2, inside RK4's stability interval (|λh| < 2√2), so neither the positions nor the gradients
 *       through the {@code T}-step chain can blow up. (A general MLP of {@code p}, and an unbounded {@code S}, made
 *       them overflow within 140 steps in our first quick-preset runs.)
 *   <li>the forcing {@code W2·tanh(w1·t/τ + b1)} is a learned MLP of time (hidden {@value #HIDDEN}).
 * </ul>
 * {@code A} and {@code W2} start at zero, so training starts at the sinusoid (the special case the paper points
 * out: RK4 with step 1 follows every pair with {@code ω ≤ 0.1} to float precision, the fastest, {@code ω = 1},
 * within about 1% a position). The integration runs in the autograd graph; a test holds it equal to the same RK4 in
 * double precision.
 */
final class Floater implements LabEncoding {
    static final int HIDDEN = 32;
    static final float TIME_SCALE = 64;

    private final ConstantCache constants;
    private final NDArray skew;
    private final NDArray w1;
    private final NDArray b1;
    private final NDArray w2;
    private final NDArray gain;
    private final int dModel;

    Floater(ParameterSet parameters, int dModel) {
        this.dModel = dModel;
        this.constants = new ConstantCache(parameters.manager());
        this.skew = parameters.constant("pos.floater.A", 0f, dModel, dModel);
        this.w1 = parameters.normal("pos.floater.w1", 1.0, 1, HIDDEN);
        this.b1 = parameters.uniform("pos.floater.b1", -1, 1, HIDDEN);
        this.w2 = parameters.constant("pos.floater.w2", 0f, HIDDEN, dModel);
        this.gain = parameters.constant("pos.floater.gain", SinusoidalAbsolute.INITIAL_GAIN, 1);
    }

    @Override
    public String name() {
        return "floater";
    }

    @Override
    public void prepare(int seqLen) {
        RecurrentPositions sinusoid = CoreTables.floaterSinusoid(dModel);
        constants.floats("omegaT", 0, new Shape(dModel, dModel),
                t -> CoreTables.generatorTransposed(sinusoid.dynamics(), dModel));
        constants.floats("p0", 0, new Shape(1, dModel), t -> sinusoid.table(0, 1));
        constants.floats("identity", 0, new Shape(dModel, dModel), t -> {
            float[] eye = new float[dModel * dModel];
            for (int i = 0; i < dModel; i++) {
                eye[i * dModel + i] = 1;
            }
            return eye;
        });
        // RK4 evaluates the forcing at t, t + 1/2 and t + 1: every half position of the window.
        constants.floats("halfTimes", seqLen, new Shape(2L * seqLen - 1, 1), t -> {
            float[] times = new float[2 * t - 1];
            for (int i = 0; i < times.length; i++) {
                times[i] = i / (2 * TIME_SCALE);
            }
            return times;
        });
    }

    /** The forcing {@code W2·tanh(w1·t/τ + b1)} at every half position, {@code [2T − 1, D]}, in the graph. */
    NDArray forcing(int seqLen) {
        return Activation.tanh(constants.get("halfTimes", seqLen).matMul(w1).add(b1)).matMul(w2);
    }

    /** {@code (Ω + S)ᵀ} in row-vector form: {@code Ωᵀ + tanh(Aᵀ − A)/D}. */
    NDArray generator() {
        return constants.get("omegaT", 0).add(Activation.tanh(skew.transpose().sub(skew)).div(constant(dModel)));
    }

    /**
     * {@code p(0..T−1)} as {@code [T, D]}, RK4 with step 1, in the graph. Because {@code h} is affine in {@code p}
     * (row form {@code h = p·G + f(t)}), one RK4 step is exactly the affine map
     * {@code p ← p·M + f(n)·P0 + f(n+½)·Pm + f(n+1)/6} with {@code M = I + G + G²/2 + G³/6 + G⁴/24},
     * {@code P0 = (I + G + G²/2 + G³/4)/6}, {@code Pm = (4I + 2G + G²/2)/6} (expand {@code k1..k4}); the forcing
     * terms of all steps are one batched product, leaving two tensor ops per position.
     */
    NDArray positions(int seqLen) {
        NDArray p = constants.get("p0", 0);
        if (seqLen == 1) {
            return p;
        }
        NDArray g = generator();
        NDArray identity = constants.get("identity", 0);
        NDArray g2 = g.matMul(g);
        NDArray g3 = g2.matMul(g);
        NDArray halfG2 = g2.div(constant(2));
        NDArray step = identity.add(g).add(halfG2).add(g3.div(constant(6))).add(g3.matMul(g).div(constant(24)));
        NDArray atStart = identity.add(g).add(halfG2).add(g3.div(constant(4))).div(constant(6));
        NDArray atMiddle = identity.mul(constant(4)).add(g.mul(constant(2))).add(halfG2).div(constant(6));
        NDArray f = forcing(seqLen); // rows: t = 0, 1/2, 1, ..., T−1
        NDArray starts = f.get(STARTS);   // t = 0 .. T−2
        NDArray middles = f.get(MIDDLES); // t = 1/2 .. T−3/2
        NDArray ends = f.get(ENDS);       // t = 1 .. T−1
        NDArray offsets = starts.matMul(atStart).add(middles.matMul(atMiddle)).add(ends.div(constant(6))); // [T−1, D]
        NDArray[] rows = new NDArray[seqLen];
        rows[0] = p;
        for (int t = 1; t < seqLen; t++) {
            p = p.matMul(step).add(offsets.get(t - 1));
            rows[t] = p;
        }
        return NDArrays.concat(new NDList(rows), 0);
    }

    /** A scalar factor of the graph, kept alive for the backward pass (see {@link OwnedTensors}). */
    private NDArray constant(float value) {
        return constants.scalar(value);
    }

    private static final ai.djl.ndarray.index.NDIndex STARTS = new ai.djl.ndarray.index.NDIndex("0:-1:2");
    private static final ai.djl.ndarray.index.NDIndex MIDDLES = new ai.djl.ndarray.index.NDIndex("1::2");
    private static final ai.djl.ndarray.index.NDIndex ENDS = new ai.djl.ndarray.index.NDIndex("2::2");

    @Override
    public NDArray input(NDArray x, int seqLen) {
        return x.add(positions(seqLen).mul(gain));
    }
}
