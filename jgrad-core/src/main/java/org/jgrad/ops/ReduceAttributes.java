package org.jgrad.ops;

import java.util.List;
import org.jgrad.autograd.OpAttributes;

/** Attributes of the reductions in {@link ReduceOps}, as recorded on the graph. */
public sealed interface ReduceAttributes extends OpAttributes {
    /**
     * {@code sum}, {@code mean}, and {@code max}/{@code min} over all elements.
     *
     * @param dims the reduced dims as given (an empty list: all dims)
     * @param keepdim whether reduced dims stay as size 1
     */
    record Reduce(List<Integer> dims, boolean keepdim) implements ReduceAttributes {}

    /**
     * {@code var} and {@code std}.
     *
     * @param dims the reduced dims as given (an empty list: all dims)
     * @param correction subtracted from the count in the divisor (1 = unbiased)
     * @param keepdim whether reduced dims stay as size 1
     */
    record Variance(List<Integer> dims, int correction, boolean keepdim) implements ReduceAttributes {}

    /**
     * {@code max}/{@code min} along one dim (values and int64 indices; the node is on the values).
     *
     * @param dim the reduced dim, normalized to be non-negative
     * @param keepdim whether it stays as size 1
     */
    record AlongDim(int dim, boolean keepdim) implements ReduceAttributes {}
}
