package dev.posenc.input;

import java.util.Objects;

/**
 * Linear rotation dynamics: each pair {@code (s_k, c_k)} of the state turns at angular speed {@code ω_k},
 * <pre>
 * ds_k/dt = ω_k · c_k,   dc_k/dt = −ω_k · s_k
 * </pre>
 * whose solution from {@code (s_k, c_k)(0) = (0, 1)} is {@code (sin ω_k t, cos ω_k t)}: the sinusoidal encoding is
 * the special case of FLOATER with these dynamics (Liu et al. 2020, §3.2).
 *
 * @param angularFrequencies {@code ω_k} for each pair (copied)
 * @param layout where {@code s_k} and {@code c_k} sit in the state vector
 */
public record RotationDynamics(double[] angularFrequencies, SinusoidLayout layout) implements PositionDynamics {
    public RotationDynamics {
        Objects.requireNonNull(angularFrequencies, "angularFrequencies");
        Objects.requireNonNull(layout, "layout");
        if (angularFrequencies.length == 0) {
            throw new IllegalArgumentException("rotation dynamics need at least one angular frequency");
        }
        angularFrequencies = angularFrequencies.clone();
    }

    @Override
    public double[] angularFrequencies() {
        return angularFrequencies.clone();
    }

    /** The size of the state: two entries per frequency. */
    public int dim() {
        return 2 * angularFrequencies.length;
    }

    /** The state at {@code t = 0} that makes the solution the sinusoid: sines 0, cosines 1. */
    public double[] sinusoidInitialState() {
        double[] p = new double[dim()];
        for (int k = 0; k < angularFrequencies.length; k++) {
            p[layout.cosIndex(k, dim())] = 1.0;
        }
        return p;
    }

    @Override
    public void derivative(double t, double[] p, double[] dpdt) {
        Objects.requireNonNull(p, "p");
        Objects.requireNonNull(dpdt, "dpdt");
        int dim = dim();
        for (int k = 0; k < angularFrequencies.length; k++) {
            int s = layout.sinIndex(k, dim);
            int c = layout.cosIndex(k, dim);
            dpdt[s] = angularFrequencies[k] * p[c];
            dpdt[c] = -angularFrequencies[k] * p[s];
        }
    }
}
