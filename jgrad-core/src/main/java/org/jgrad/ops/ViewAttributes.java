package org.jgrad.ops;

import java.util.List;
import org.jgrad.autograd.OpAttributes;

/** Attributes of the view and layout ops in {@link ViewOps} (and {@code flip}), as recorded on the graph. */
public sealed interface ViewAttributes extends OpAttributes {
    /** {@code view} (also reshape and flatten when they can view): the new shape. */
    record View(List<Integer> shape) implements ViewAttributes {}

    /** {@code expand}: the target shape. */
    record Expand(List<Integer> shape) implements ViewAttributes {}

    /** {@code permute} and {@code transpose}: output dim i is input dim {@code dims.get(i)}. */
    record Permute(List<Integer> dims) implements ViewAttributes {}

    /**
     * {@code slice} (also select and narrow): elements {@code start, start + step, ...} below
     * {@code end} along {@code dim}, bounds already clamped to the input.
     */
    record Slice(int dim, int start, int end, int step) implements ViewAttributes {}

    /** {@code squeeze}: the squeezed dim, or null for every size-1 dim. */
    record Squeeze(Integer dim) implements ViewAttributes {}

    /** {@code unsqueeze}: where the new size-1 dim goes, normalized to be non-negative. */
    record Unsqueeze(int dim) implements ViewAttributes {}

    /** {@code flip}: the reversed dims, as given. */
    record Flip(List<Integer> dims) implements ViewAttributes {}
}
