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
        if (needsGraph(inputs)) out.attachGradFn(new Node(op, backward, inputs));
        return out;
    }
}
