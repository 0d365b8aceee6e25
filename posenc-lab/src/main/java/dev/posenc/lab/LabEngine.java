package dev.posenc.lab;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Starts DJL's PyTorch engine. With the default (CPU) build, libtorch 2.7.1 comes from the
 * {@code ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64} jar on the class path and {@code ai.djl.offline=true}
 * makes DJL load it from there, with the matching JNI bridge ({@code pytorch-jni:2.7.1-0.35.1}), never touching the
 * network. A build without bundled natives (Maven profile {@code cuda}) uses {@code PYTORCH_LIBRARY_PATH} when set
 * (a CUDA libtorch 2.7.1 on disk, offline) and otherwise lets DJL download the flavour named by
 * {@code PYTORCH_FLAVOR}. Intra-op threads: {@code ai.djl.pytorch.num_threads}; inter-op parallelism: 1. System
 * properties the user sets win.
 */
public final class LabEngine {
    private LabEngine() {}

    /** The PyTorch engine with {@code threads} intra-op threads (0: PyTorch's default). */
    public static Engine start(int threads) {
        boolean bundled = LabEngine.class.getResource("/native/lib/pytorch.properties") != null;
        boolean localLibrary = System.getenv("PYTORCH_LIBRARY_PATH") != null
                || System.getProperty("PYTORCH_LIBRARY_PATH") != null;
        if (System.getProperty("ai.djl.offline") == null && (bundled || localLibrary)) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (threads > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot start the PyTorch engine (bundled natives: " + bundled
                    + ", PYTORCH_LIBRARY_PATH set: " + localLibrary + "): " + e.getMessage(), e);
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
