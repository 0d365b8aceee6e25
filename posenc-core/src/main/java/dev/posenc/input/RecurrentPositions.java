package dev.posenc.input;

import java.util.Objects;

/**
 * FLOATER-style recurrent positions (Liu et al. 2020, arXiv:2003.09229): the vector of position {@code p} is the
 * solution at {@code t = p} of {@code dp/dt = h(p, t)} from {@code p(0) = initialState}, integrated with a
 * fixed-step fourth-order Runge-Kutta scheme of {@code stepsPerPosition} steps per unit of
 * {@code t}.
 *
 * <p>With {@link RotationDynamics} from {@code (0, 1)} pairs the solution is the sinusoidal encoding
 * ({@link #ofSinusoid}); a learned {@code h} generalises it. Positions are produced in order, so a table of
 * positions {@code [first, first + count)} costs {@code (first + count) · stepsPerPosition} steps.
 *
 * @param initialState {@code p(0)} (copied); its length is the vector size
 * @param dynamics the right-hand side {@code h}
 * @param stepsPerPosition integration steps per position, {@code >= 1}
 */
public record RecurrentPositions(double[] initialState, PositionDynamics dynamics, int stepsPerPosition)
        implements AbsolutePositions {
    public RecurrentPositions {
        Objects.requireNonNull(initialState, "initialState");
        Objects.requireNonNull(dynamics, "dynamics");
        if (initialState.length == 0) {
            throw new IllegalArgumentException("the initial state must have at least one entry");
        }
        initialState = initialState.clone();
        if (stepsPerPosition < 1) {
            throw new IllegalArgumentException("steps per position must be >= 1, got " + stepsPerPosition);
        }
    }

    /**
     * The recurrent form of {@code sinusoid}: rotation dynamics at its angular frequencies, starting from sines 0
     * and cosines 1. Its table equals {@code sinusoid.table} up to the integrator's {@code O(Δ⁴)} error.
     */
    public static RecurrentPositions ofSinusoid(SinusoidalPositions sinusoid, int stepsPerPosition) {
        Objects.requireNonNull(sinusoid, "sinusoid");
        double[] omega = new double[sinusoid.dim() / 2];
        for (int k = 0; k < omega.length; k++) {
            omega[k] = sinusoid.angularFrequency(k);
        }
        RotationDynamics rotation = new RotationDynamics(omega, sinusoid.layout());
        return new RecurrentPositions(rotation.sinusoidInitialState(), rotation, stepsPerPosition);
    }

    @Override
    public double[] initialState() {
        return initialState.clone();
    }

    @Override
    public int dim() {
        return initialState.length;
    }

    @Override
    public float[] table(int firstPosition, int count) {
        if (firstPosition < 0 || count < 0) {
            throw new IllegalArgumentException("positions must be >= 0, got first " + firstPosition + ", count " + count);
        }
        int dim = dim();
        float[] out = new float[Math.multiplyExact(count, dim)];
        double[] p = initialState.clone();
        RungeKutta4 integrator = new RungeKutta4(dynamics, dim);
        double step = 1.0 / stepsPerPosition;
        for (int position = 0; position < firstPosition + count; position++) {
            if (position >= firstPosition) {
                for (int c = 0; c < dim; c++) {
                    out[(position - firstPosition) * dim + c] = (float) p[c];
                }
            }
            for (int s = 0; s < stepsPerPosition; s++) {
                integrator.step(position + (double) s / stepsPerPosition, p, step);
            }
        }
        return out;
    }
}
