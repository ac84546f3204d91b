package org.jgrad.autograd;

/**
 * The settings of one recorded op that are not tensors: a convolution's stride and padding, a
 * reduction's dims, a slice's bounds. Each op family defines immutable records implementing this
 * interface ({@code org.jgrad.ops.Conv2dOptions}, {@code org.jgrad.ops.ReduceAttributes}, ...); a
 * {@link Node} carries one beside its op type, so a walk over the graph ({@link Graph#trace}) sees
 * what ran with which settings, also for hand-written {@code forward()} code.
 *
 * <p>Records are created only when a node is recorded, never on the no-grad path. Ops whose
 * behaviour is fixed by their type and inputs (add, mul, exp, mm, ...) carry {@link #NONE}.
 */
public interface OpAttributes {
    /** The attributes of an op that has none. */
    None NONE = new None();

    /** No attributes: the op type and the inputs say everything. */
    record None() implements OpAttributes {
        @Override
        public String toString() {
            return "";
        }
    }
}
