package org.jgrad.ops;

import org.jgrad.autograd.OpAttributes;

/** Attributes of the elementwise ops in {@link ElementwiseOps} that take numbers besides tensors. */
public sealed interface ElementwiseAttributes extends OpAttributes {
    /**
     * The scalar operand of {@code add}, {@code sub}, {@code mul}, {@code div} or {@code pow} with a
     * number (for {@code sub} it is subtracted, for {@code pow} it is the exponent; {@code square}
     * records pow with 2).
     */
    record Scalar(double value) implements ElementwiseAttributes {}

    /** {@code clamp}: the bounds (±∞ where a side is open). */
    record Clamp(double min, double max) implements ElementwiseAttributes {}
}
