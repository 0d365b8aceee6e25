package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trainable tensors of one model, by name, in creation order. Initial values are drawn in Java from a
 * {@link SplittableRandom} seeded by the run's seed and the parameter's name, so they do not depend on the engine's
 * global random state nor on the order in which encodings are built.
 *
 * <p>Not thread-safe: one training run owns it.
 */
final class ParameterSet {
    private final NDManager manager;
    private final long seed;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();

    ParameterSet(NDManager manager, long seed) {
        this.manager = manager;
        this.seed = seed;
    }

    NDManager manager() {
        return manager;
    }

    /** A parameter drawn from N(0, std²). */
    NDArray normal(String name, double std, long... shape) {
        SplittableRandom random = random(name);
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (std * gaussian(random));
        }
        return add(name, values, shape);
    }

    /** A parameter drawn from U(low, high). */
    NDArray uniform(String name, double low, double high, long... shape) {
        SplittableRandom random = random(name);
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return add(name, values, shape);
    }

    /** A parameter filled with {@code value}. */
    NDArray constant(String name, float value, long... shape) {
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        java.util.Arrays.fill(values, value);
        return add(name, values, shape);
    }

    /** A parameter with the given initial values. */
    NDArray add(String name, float[] values, long... shape) {
        if (parameters.containsKey(name)) {
            throw new IllegalStateException("duplicate parameter " + name);
        }
        NDArray array = manager.create(values, new Shape(shape));
        array.setRequiresGradient(true);
        parameters.put(name, array);
        return array;
    }

    Map<String, NDArray> all() {
        return Collections.unmodifiableMap(parameters);
    }

    long count() {
        long n = 0;
        for (NDArray p : parameters.values()) {
            n += p.size();
        }
        return n;
    }

    private SplittableRandom random(String name) {
        return new SplittableRandom(seed ^ (name.hashCode() * 0xC2B2AE3D27D4EB4FL));
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }
}
