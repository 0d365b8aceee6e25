package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The trainable tensors of one model, by name, in creation order. Initial values are drawn in Java from a
 * {@link SplittableRandom} seeded by the run's seed and the parameter's name, with {@link StrictMath}, so they are the
 * same bits on every JVM and do not depend on the engine's global random state nor on the order in which encodings
 * are built.
 *
 * <p>Every parameter is a view of one of two flat buffers in libtorch's memory ({@link OwnedTensors}): tensors of rank
 * ≥ 2 (matrices and tables, decayed by {@link AdamW}) and the others (biases, gains, scalars), so that the optimizer
 * updates each buffer with one fused kernel rather than one kernel per tensor. The buffers are sized before any
 * parameter exists, so a model is built twice ({@link #build}): first on a sizing set, which records every name,
 * shape and initial value and hands out placeholders (a broadcast scalar, no memory), then on the real set, which
 * hands out the views in the same order. A builder must declare the same parameters in the same order both times
 * (checked).
 *
 * <p>Not thread-safe: one training run owns it.
 */
public final class ParameterSet {
    /** A model and the parameters it was built with. */
    public record Built<T>(ParameterSet parameters, T model) {}

    /**
     * One flat buffer and the parameters that are views of it, in buffer order.
     *
     * @param values the buffer, {@code [n]}
     * @param members the parameters, views of consecutive ranges of {@code values}
     * @param matrices whether the members have rank ≥ 2
     */
    record Group(NDArray values, List<NDArray> members, boolean matrices) {}

    private record Declaration(String name, long[] shape, float[] values) {
        boolean matrix() {
            return shape.length >= 2;
        }
    }

    private final NDManager manager;
    private final long seed;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    /** Sizing set: what was declared so far. Real set: the plan it must follow. */
    private final List<Declaration> declarations;
    private final boolean sizing;
    private final NDArray placeholder;
    private final NDArray[] views;
    private final List<Group> groups = new ArrayList<>();

    private ParameterSet(NDManager manager, long seed, List<Declaration> plan) {
        this.manager = manager;
        this.seed = seed;
        this.sizing = plan == null;
        this.declarations = sizing ? new ArrayList<>() : plan;
        this.placeholder = sizing ? manager.zeros(new Shape()) : null;
        this.views = sizing ? null : new NDArray[plan.size()];
        if (!sizing) {
            for (boolean matrices : new boolean[] {true, false}) {
                allocate(matrices);
            }
        }
    }

    /**
     * Builds a model with {@code builder} on parameters that live in {@code manager}: a sizing pass, then the real
     * one (see the class comment). Call outside any {@link NDScope}, or inside one: the parameters are not
     * registered with it.
     */
    public static <T> Built<T> build(NDManager manager, long seed, Function<ParameterSet, T> builder) {
        List<Declaration> plan;
        try (NDManager scratch = manager.newSubManager()) {
            ParameterSet sizing = new ParameterSet(scratch, seed, null);
            builder.apply(sizing);
            plan = sizing.declarations;
        }
        ParameterSet real = new ParameterSet(manager, seed, plan);
        T model = builder.apply(real);
        if (real.parameters.size() != plan.size()) {
            throw new IllegalStateException("the builder declared " + real.parameters.size()
                    + " parameters on the second pass, " + plan.size() + " on the first");
        }
        return new Built<>(real, model);
    }

    /** The buffer of one group (matrices or not) and the views of its members, in declaration order. */
    private void allocate(boolean matrices) {
        long total = 0;
        for (Declaration d : declarations) {
            total += d.matrix() == matrices ? d.values().length : 0;
        }
        if (total == 0) {
            return;
        }
        float[] all = new float[Math.toIntExact(total)];
        int at = 0;
        for (Declaration d : declarations) {
            if (d.matrix() == matrices) {
                System.arraycopy(d.values(), 0, all, at, d.values().length);
                at += d.values().length;
            }
        }
        NDArray values = OwnedTensors.floats(manager, all, new Shape(total));
        NDScope.unregister(values);
        List<NDArray> members = new ArrayList<>();
        at = 0;
        for (int i = 0; i < declarations.size(); i++) {
            Declaration d = declarations.get(i);
            if (d.matrix() == matrices) {
                views[i] = slice(values, at, d.shape());
                views[i].setRequiresGradient(true);
                members.add(views[i]);
                at += d.values().length;
            }
        }
        groups.add(new Group(values, Collections.unmodifiableList(members), matrices));
    }

    /** A view of {@code flat[offset, offset + size)} shaped {@code shape}, not registered with any scope. */
    static NDArray slice(NDArray flat, long offset, long[] shape) {
        long size = new Shape(shape).size();
        NDArray range = flat.get(new NDIndex().addSliceDim(offset, offset + size));
        NDArray view = range.reshape(shape);
        NDScope.unregister(range, view);
        return view;
    }

    public NDManager manager() {
        return manager;
    }

    /** A parameter drawn from N(0, std²). */
    public NDArray normal(String name, double std, long... shape) {
        SplittableRandom random = random(name);
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (std * gaussian(random));
        }
        return add(name, values, shape);
    }

    /** A parameter drawn from U(low, high). */
    public NDArray uniform(String name, double low, double high, long... shape) {
        SplittableRandom random = random(name);
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return add(name, values, shape);
    }

    /** A parameter filled with {@code value}. */
    public NDArray constant(String name, float value, long... shape) {
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        Arrays.fill(values, value);
        return add(name, values, shape);
    }

    /** A parameter with the given initial values. */
    public NDArray add(String name, float[] values, long... shape) {
        if (parameters.containsKey(name)) {
            throw new IllegalStateException("duplicate parameter " + name);
        }
        NDArray array;
        if (sizing) {
            declarations.add(new Declaration(name, shape.clone(), values.clone()));
            array = placeholder.broadcast(shape);
        } else {
            int i = parameters.size();
            Declaration planned = i < declarations.size() ? declarations.get(i) : null;
            if (planned == null || !planned.name().equals(name) || !Arrays.equals(planned.shape(), shape)) {
                throw new IllegalStateException("parameter " + parameters.size() + " is " + name + " "
                        + Arrays.toString(shape) + " on the second pass, "
                        + (planned == null ? "absent" : planned.name() + " " + Arrays.toString(planned.shape()))
                        + " on the first");
            }
            array = views[i];
        }
        parameters.put(name, array);
        return array;
    }

    public Map<String, NDArray> all() {
        return Collections.unmodifiableMap(parameters);
    }

    /** The flat buffers (matrices first), for the optimizer. */
    List<Group> groups() {
        return Collections.unmodifiableList(groups);
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
        return StrictMath.sqrt(-2 * StrictMath.log1p(-u1)) * StrictMath.cos(2 * Math.PI * u2);
    }
}
