package dev.posenc.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.posenc.lab.encoding.Encodings;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Gradients must not depend on when the JVM collects garbage. DJL's CPU tensors made from Java values
 * ({@code create(float[])}, {@code mul(Number)}) are views of direct buffers that the collector frees once the Java
 * wrapper is closed, while autograd may still read them in the backward pass (see {@link OwnedTensors}). Each test
 * runs a forward pass, then collects garbage and reuses freed native memory, then the backward pass: the gradients
 * must equal, bit for bit, those of the same step without the collection in between. Before the lab kept every such
 * tensor in libtorch's memory, this is how training went NaN at random steps and reruns drifted apart.
 */
class GradientLifetimeTest {
    private static final int T = 12;
    private static final ModelConfig MODEL = new ModelConfig(16, 1, 2, ModelConfig.Attention.SOFTMAX);
    private static final ModelConfig LINEAR = new ModelConfig(16, 1, 2, ModelConfig.Attention.LINEAR);

    static final java.util.List<String> ENCODINGS = Encodings.NAMES;

    /** Frees what the closed wrappers left to the collector, and writes over the freed native memory. */
    private static void collectAndReuseNativeMemory() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(20); // the cleaner thread frees direct buffers after the collection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 2000; i++) {
                ByteBuffer.allocateDirect(4 << (i % 8)).putFloat(0, Float.NaN);
            }
        }
    }

    private static Map<String, float[]> gradients(ModelConfig model, String encoding, boolean collectInBetween) {
        Engine engine = LabTestSupport.engine();
        long[] ids = new long[2 * (T + 1)];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(256);
        }
        try (NDManager m = LabEngine.newManager(engine); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ParameterSet.Built<TinyLm> built = ParameterSet.build(m, 11,
                    ps -> new TinyLm(model, ps, Encodings.create(encoding, ps, model, T)));
            TinyLm lm = built.model();
            lm.prepare(T);
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray loss = lm.loss(lm.ids(m, ids, 2, T + 1));
                if (collectInBetween) {
                    collectAndReuseNativeMemory();
                }
                collector.backward(loss);
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            built.parameters().all().forEach((name, p) -> out.put(name, p.getGradient().toFloatArray()));
            return out;
        }
    }

    @ParameterizedTest
    @FieldSource("ENCODINGS")
    void gradientsDoNotDependOnGarbageCollection(String encoding) {
        assertSameGradients(MODEL, encoding);
    }

    @Test
    void linearAttentionWithRopeGradientsDoNotDependOnGarbageCollection() {
        assertSameGradients(LINEAR, "rope");
    }

    private static void assertSameGradients(ModelConfig model, String encoding) {
        Map<String, float[]> quiet = gradients(model, encoding, false);
        Map<String, float[]> collected = gradients(model, encoding, true);
        assertEquals(quiet.keySet(), collected.keySet());
        for (String name : quiet.keySet()) {
            for (float g : quiet.get(name)) {
                if (!Float.isFinite(g)) {
                    throw new AssertionError(encoding + ": gradient of " + name + " is not finite");
                }
            }
            assertArrayEquals(quiet.get(name), collected.get(name), encoding + ": gradient of " + name);
        }
    }

    /** The hazard itself, on the safe path: a product by a scalar kept in libtorch's memory. */
    @Test
    void aScalarFactorOwnedByLibtorchSurvivesTheCollector() {
        Engine engine = LabTestSupport.engine();
        try (NDManager m = LabEngine.newManager(engine)) {
            ConstantCache constants = new ConstantCache(m);
            NDArray x = OwnedTensors.floats(m, new float[] {1, 2, 3, 4}, new Shape(4));
            x.setRequiresGradient(true);
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray y = x.mul(constants.scalar(3f)).sum();
                collectAndReuseNativeMemory();
                collector.backward(y);
            }
            assertArrayEquals(new float[] {3, 3, 3, 3}, x.getGradient().toFloatArray());
        }
    }
}
