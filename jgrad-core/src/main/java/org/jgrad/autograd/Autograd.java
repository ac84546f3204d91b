package org.jgrad.autograd;

import org.jgrad.tensor.Tensor;

/** What ops call to put themselves on the graph. */
public final class Autograd {
    private Autograd() {}

    /** True when an op on these inputs must record a node: grad mode is on and some input requires grad. */
    public static boolean needsGraph(Tensor... inputs) {
        if (!NoGrad.isGradEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /**
     * Attaches a node for {@code op} to {@code out} when {@link #needsGraph} holds; returns {@code out}.
     * The backward function receives the gradient of {@code out} and returns one gradient per input
     * (null for inputs that need none), each with its input's shape.
     */
    public static Tensor record(Tensor out, String op, Node.Backward backward, Tensor... inputs) {
        return record(out, op, OpAttributes.NONE, backward, inputs);
    }

    /**
     * {@link #record(Tensor, String, Node.Backward, Tensor...)} for an op with settings: the node
     * carries {@code attributes} (an immutable record) for graph walks and export. Build the record
     * only on the recording path, e.g. {@code if (!needsGraph(x)) return out;} first, so that
     * inference pays nothing for it.
     */
    public static Tensor record(Tensor out, String op, OpAttributes attributes, Node.Backward backward,
            Tensor... inputs) {
        if (needsGraph(inputs)) out.attachGradFn(new Node(op, attributes, backward, inputs));
        return out;
    }
}
