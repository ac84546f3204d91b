package org.jgrad.nn;

import org.jgrad.tensor.Generator;

/**
 * The default generator: the source of randomness for layers that were given no {@link Generator}
 * of their own (weight initialization, dropout, RReLU slopes), like PyTorch's
 * {@code torch.default_generator}: {@code DefaultGenerator.manualSeed(42)} makes model construction
 * and training reproducible. Modules that draw random numbers also accept their own generator.
 *
 * <p>The default generator is shared and not thread-safe: build and train a model on one thread,
 * or give each module its own generator.
 */
public final class DefaultGenerator {
    private DefaultGenerator() {}

    /** PyTorch's default initial seed, so an unseeded program is still deterministic. */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final Generator DEFAULT = new Generator(DEFAULT_SEED);

    /** Re-seeds the default generator (like {@code torch.manual_seed}). */
    public static void manualSeed(long seed) {
        DEFAULT.manualSeed(seed);
    }

    /** The shared default generator. */
    public static Generator get() {
        return DEFAULT;
    }
}
