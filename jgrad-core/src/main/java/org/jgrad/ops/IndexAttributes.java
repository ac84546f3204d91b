package org.jgrad.ops;

import org.jgrad.autograd.OpAttributes;

/** Attributes of {@link IndexOps}, as recorded on the graph: the dim each op works along. */
public sealed interface IndexAttributes extends OpAttributes {
    /** {@code gather} along {@code dim} (the index tensor is a constant input of the node's closure). */
    record Gather(int dim) implements IndexAttributes {}

    /** {@code index_select} along {@code dim}. */
    record IndexSelect(int dim) implements IndexAttributes {}

    /** {@code cat} along {@code dim}. */
    record Cat(int dim) implements IndexAttributes {}
}
