package dev.posenc.input;

/**
 * The right-hand side {@code h} of FLOATER's position ODE {@code dp/dt = h(p, t)} (Liu et al. 2020,
 * arXiv:2003.09229, eq. 4). In FLOATER {@code h} is a small neural network; any function can be plugged in.
 * Implementations must not keep state between calls.
 */
@FunctionalInterface
public interface PositionDynamics {
    /** Writes {@code h(p, t)} into {@code dpdt} (same length as {@code p}); must not modify {@code p}. */
    void derivative(double t, double[] p, double[] dpdt);
}
