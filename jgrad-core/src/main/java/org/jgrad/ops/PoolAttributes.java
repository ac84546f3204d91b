package org.jgrad.ops;

import org.jgrad.autograd.OpAttributes;

/**
 * Attributes of the adaptive poolings in {@link PoolOps}; the windowed ones record their
 * {@link Pool2dOptions}.
 */
public sealed interface PoolAttributes extends OpAttributes {
    /** {@code adaptive_avg_pool2d} / {@code adaptive_max_pool2d}: the output size. */
    record Adaptive(int outH, int outW) implements PoolAttributes {}
}
