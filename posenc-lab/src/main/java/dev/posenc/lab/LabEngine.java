package dev.posenc.lab;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Starts DJL's PyTorch engine without network access: {@code ai.djl.offline=true} makes DJL load the native
 * library bundled in the {@code pytorch-native-*} jar on the class path (Maven {@code ai.djl.pytorch:
 * pytorch-native-cpu:2.7.1:linux-x86_64} by default; the {@code cuda} Maven profile puts a CUDA build there instead)
 * with the matching {@code pytorch-jni} ({@code 2.7.1-0.35.1}). Intra-op threads are fixed by
 * {@code ai.djl.pytorch.num_threads}; inter-op parallelism is 1. Settings made by the user (system properties)
 * win.
 */
public final class LabEngine {
    private LabEngine() {}

    /** The PyTorch engine with {@code threads} intra-op threads (0: PyTorch's default). */
    public static Engine start(int threads) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        if (threads > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot start the PyTorch engine offline (is pytorch-native-cpu "
                    + "2.7.1 on the class path?): " + e.getMessage(), e);
        }
    }

    /** A root manager on the engine's default device (the GPU when a CUDA flavour is loaded and a GPU exists). */
    public static NDManager newManager(Engine engine) {
        Device device = engine.defaultDevice();
        return engine.newBaseManager(device);
    }

    /** "PyTorch 2.7.1 on cpu(), 2 threads" for reports. */
    public static String describe(Engine engine) {
        return engine.getEngineName() + " " + engine.getVersion() + " on " + engine.defaultDevice() + ", "
                + System.getProperty("ai.djl.pytorch.num_threads", "default") + " threads";
    }
}
