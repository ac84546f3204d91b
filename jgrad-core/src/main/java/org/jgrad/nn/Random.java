package org.jgrad.nn;

import org.jgrad.tensor.Generator;

/**
 * The old name of {@link DefaultGenerator}, kept only while branches written against it land: it
 * shadowed {@code java.util.Random} wherever {@code org.jgrad.nn.*} was imported. Use
 * {@link DefaultGenerator#manualSeed} and {@link DefaultGenerator#get()}.
 *
 * @deprecated renamed {@link DefaultGenerator}; this forwarder will be removed
 */
@Deprecated(forRemoval = true)
public final class Random {
    private Random() {}

    /** @deprecated use {@link DefaultGenerator#DEFAULT_SEED} */
    @Deprecated(forRemoval = true)
    public static final long DEFAULT_SEED = DefaultGenerator.DEFAULT_SEED;

    /** @deprecated use {@link DefaultGenerator#manualSeed} */
    @Deprecated(forRemoval = true)
    public static void manualSeed(long seed) {
        DefaultGenerator.manualSeed(seed);
    }

    /** @deprecated use {@link DefaultGenerator#get()} */
    @Deprecated(forRemoval = true)
    public static Generator defaultGenerator() {
        return DefaultGenerator.get();
    }
}
