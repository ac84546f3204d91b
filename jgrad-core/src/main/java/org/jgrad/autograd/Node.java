package org.jgrad.autograd;

import org.jgrad.tensor.Tensor;

/**
 * One recorded operation in the define-by-run graph: the inputs it consumed and a backward
 * function that maps the gradient of its output to gradients of its inputs.
 *
 * <p>The backward function holds whatever the op saved from the forward pass. After a backward
 * pass without {@code retainGraph} it is dropped so that memory is released, and a second
 * backward through this node fails with a clear message.
 */
public final class Node {
    /** Computes input gradients from the output gradient; entries may be null for inputs without grad. */
    @FunctionalInterface
    public interface Backward {
        /**
         * @param gradOutput the gradient of the loss with respect to the node's output, shaped like it
         * @return one gradient per input, in input order, each shaped like its input (or null)
         */
        Tensor[] apply(Tensor gradOutput);
    }

    private final String op;
    private final OpAttributes attributes;
    private final Tensor[] inputs;
    private Backward backward;
    private final long sequence;
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Records one op without attributes ({@link OpAttributes#NONE}). Ops call {@link Autograd#record}
     * rather than this.
     *
     * @param op the op's name, used in error messages and graph printouts
     * @param backward maps the output's gradient to the inputs' gradients
     * @param inputs the tensors the op consumed, in the order {@code backward} returns their gradients
     */
    public Node(String op, Backward backward, Tensor... inputs) {
        this(op, OpAttributes.NONE, backward, inputs);
    }

    /**
     * Records one op with its attribute record.
     *
     * @param op the op's type, used in error messages, graph printouts and {@link Graph#trace}
     * @param attributes the op's settings, {@link OpAttributes#NONE} when it has none
     * @param backward maps the output's gradient to the inputs' gradients
     * @param inputs the tensors the op consumed, in argument order (null for an absent optional input,
     *     e.g. a missing bias)
     */
    public Node(String op, OpAttributes attributes, Backward backward, Tensor... inputs) {
        if (attributes == null) throw new IllegalArgumentException("Node: attributes of " + op + " must not be null "
                + "(use OpAttributes.NONE)");
        this.op = op;
        this.attributes = attributes;
        this.backward = backward;
        this.inputs = inputs;
        this.sequence = SEQUENCE.getAndIncrement();
    }

    /** The op's type, PyTorch's ATen name where there is one, e.g. {@code "mul"}, {@code "convolution"}. */
    public String op() {
        return op;
    }

    /** The op's settings (stride, dims, ...), or {@link OpAttributes#NONE}. */
    public OpAttributes attributes() {
        return attributes;
    }

    /** The tensors this op consumed, in argument order. */
    public Tensor[] inputs() {
        return inputs;
    }

    /** Creation order; later nodes have larger numbers. */
    long sequence() {
        return sequence;
    }

    /** PyTorch's name for the node class, e.g. {@code MulBackward0}. */
    public String displayName() {
        StringBuilder b = new StringBuilder();
        boolean up = true;
        for (char c : op.toCharArray()) {
            if (c == '_') {
                up = true;
                continue;
            }
            b.append(up ? Character.toUpperCase(c) : c);
            up = false;
        }
        return b + "Backward0";
    }

    boolean isFreed() {
        return backward == null;
    }

    Tensor[] runBackward(Tensor gradOutput) {
        if (backward == null)
            throw new IllegalStateException("backward: trying to backward through the graph a second time (node "
                    + displayName() + "): its saved values were freed after the first backward. "
                    + "Call backward(grad, true) the first time to retain the graph.");
        return backward.apply(gradOutput);
    }

    void free() {
        backward = null;
    }

    @Override
    public String toString() {
        return "<" + displayName() + ">";
    }
}
