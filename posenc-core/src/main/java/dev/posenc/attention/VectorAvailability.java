package dev.posenc.attention;

import dev.posenc.querykey.RopeKernel;

/**
 * Whether the Vector API tile operations may be used: the same decision as the RoPE kernels'
 * ({@link RopeKernel#best()}): {@code jdk.incubator.vector} resolved at run time
 * ({@code --add-modules jdk.incubator.vector}) and {@code -D}{@value RopeKernel#VECTOR_PROPERTY}{@code =false}
 * absent. {@link VectorTileOps} is only loaded when this holds, so the library runs without the incubator module.
 */
final class VectorAvailability {
    static final boolean ENABLED = RopeKernel.best() != RopeKernel.scalar();

    private VectorAvailability() {}

    static TileOps vectorOps() {
        return VectorTileOps.INSTANCE;
    }
}
