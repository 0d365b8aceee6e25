package dev.posenc.input;

/**
 * The classical fixed-step fourth-order Runge-Kutta integrator for {@code dp/dt = h(p, t)}:
 * <pre>
 * k1 = h(p, t); k2 = h(p + Δ/2·k1, t + Δ/2); k3 = h(p + Δ/2·k2, t + Δ/2); k4 = h(p + Δ·k3, t + Δ)
 * p(t + Δ) = p + Δ/6 · (k1 + 2k2 + 2k3 + k4)
 * </pre>
 * Global error {@code O(Δ⁴)}. Holds scratch buffers, so one instance must not be used by two threads at once.
 */
final class RungeKutta4 {
    private final PositionDynamics dynamics;
    private final double[] k1;
    private final double[] k2;
    private final double[] k3;
    private final double[] k4;
    private final double[] probe;

    RungeKutta4(PositionDynamics dynamics, int dim) {
        this.dynamics = dynamics;
        k1 = new double[dim];
        k2 = new double[dim];
        k3 = new double[dim];
        k4 = new double[dim];
        probe = new double[dim];
    }

    /** Advances {@code p} in place from {@code t} to {@code t + step}. */
    void step(double t, double[] p, double step) {
        int n = p.length;
        double half = step / 2;
        dynamics.derivative(t, p, k1);
        for (int i = 0; i < n; i++) {
            probe[i] = p[i] + half * k1[i];
        }
        dynamics.derivative(t + half, probe, k2);
        for (int i = 0; i < n; i++) {
            probe[i] = p[i] + half * k2[i];
        }
        dynamics.derivative(t + half, probe, k3);
        for (int i = 0; i < n; i++) {
            probe[i] = p[i] + step * k3[i];
        }
        dynamics.derivative(t + step, probe, k4);
        for (int i = 0; i < n; i++) {
            p[i] += step / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
    }
}
