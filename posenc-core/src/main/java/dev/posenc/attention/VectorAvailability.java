package dev.posenc.attention;

/**
 * Whether the Vector API kernels may be used: {@code jdk.incubator.vector} must be resolved at run time
 * ({@code --add-modules jdk.incubator.vector}) and the system property {@code posenc.vector} not {@code false}.
 * {@link VectorTileOps} is only loaded when this holds, so the library runs without the incubator module.
 */
final class VectorAvailability {
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("posenc.vector"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorAvailability() {}

    static TileOps vectorOps() {
        return VectorTileOps.INSTANCE;
    }
}
