package org.jgrad.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * The backward pass: walks the graph from a root in reverse topological order, calls each
 * node's backward once with the sum of the gradients that reached it, and accumulates into the
 * {@code .grad} of leaves that require grad (and of non-leaves that asked to {@code retainGrad}).
 * A leaf's {@link PostAccumulateGradHook}s run right after the last node that consumes it.
 */
public final class Engine {
    private Engine() {}

    /** Runs backward from {@code root} seeded with {@code grad} (same shape as root). */
    public static void backward(Tensor root, Tensor grad, boolean retainGraph) {
        if (!root.requiresGrad())
            throw new IllegalStateException("backward: tensor of shape " + Shape.str(root.shape())
                    + " does not require grad and has no grad_fn");
        if (grad == null) {
            if (root.numel() != 1)
                throw new IllegalArgumentException("backward: grad can be implicitly created only for scalar outputs; "
                        + "got an output of shape " + Shape.str(root.shape()) + ", pass a gradient of that shape");
            grad = Tensor.onesLike(root);
        } else if (grad.dtype() != org.jgrad.tensor.DType.FLOAT32) {
            throw new IllegalArgumentException("backward: gradient must be float32, got " + grad.dtype().pyName()
                    + " of shape " + Shape.str(grad.shape()));
        } else if (!Shape.same(grad.shape(), root.shape())) {
            throw new IllegalArgumentException("backward: gradient shape " + Shape.str(grad.shape())
                    + " does not match output shape " + Shape.str(root.shape()));
        }
        try (NoGrad g = NoGrad.enter()) {
            run(root, grad, retainGraph);
        }
    }

    private static void run(Tensor root, Tensor rootGrad, boolean retainGraph) {
        if (root.gradFn() == null) { // a leaf: just accumulate
            root.accumulateGrad(rootGrad);
            runHooks(root);
            return;
        }
        List<Node> order = topologicalOrder(root.gradFn());
        // Leaves with post-accumulate hooks: how many of their consumers are still to run, and whether
        // any of them passed a gradient (some add it into .grad themselves and return null).
        Map<Tensor, int[]> hooked = null;
        for (Node node : order)
            for (Tensor in : node.inputs())
                if (in != null && in.gradFn() == null && in.requiresGrad() && in.postAccumulateGradHooks() != null) {
                    if (hooked == null) hooked = new IdentityHashMap<>();
                    hooked.computeIfAbsent(in, t -> new int[2])[0]++;
                }
        Map<Node, Tensor> pending = new IdentityHashMap<>();
        pending.put(root.gradFn(), rootGrad);
        Map<Node, Tensor> owner = new IdentityHashMap<>();
        owner.put(root.gradFn(), root);
        for (Node node : order) for (Tensor in : node.inputs()) if (in != null && in.gradFn() != null) owner.put(in.gradFn(), in);

        for (Node node : order) {
            Tensor g = pending.remove(node);
            if (g == null) { // no gradient flowed here (e.g. a branch that only feeds non-grad paths)
                if (hooked != null) leavesDone(node, hooked, false);
                continue;
            }
            Tensor out = owner.get(node);
            if (out != null && out.retainsGrad()) out.accumulateGrad(g);
            Tensor[] inputGrads = node.runBackward(g);
            Tensor[] inputs = node.inputs();
            if (inputGrads.length != inputs.length)
                throw new IllegalStateException(node.displayName() + ": backward returned " + inputGrads.length
                        + " gradients for " + inputs.length + " inputs");
            for (int i = 0; i < inputs.length; i++) {
                Tensor in = inputs[i];
                Tensor gi = inputGrads[i];
                if (in == null || gi == null || !in.requiresGrad()) continue;
                if (!Shape.same(gi.shape(), in.shape()))
                    throw new IllegalStateException(node.displayName() + ": gradient for input " + i + " has shape "
                            + Shape.str(gi.shape()) + " but the input has shape " + Shape.str(in.shape()));
                Node next = in.gradFn();
                if (next == null) in.accumulateGrad(gi);
                else pending.merge(next, gi, Tensor::add);
            }
            if (!retainGraph) node.free();
            if (hooked != null) leavesDone(node, hooked, true);
        }
    }

    /** Counts {@code node} as run for its hooked leaf inputs, and runs the hooks of those it was the last consumer of. */
    private static void leavesDone(Node node, Map<Tensor, int[]> hooked, boolean ran) {
        for (Tensor in : node.inputs()) {
            int[] c = in == null ? null : hooked.get(in);
            if (c == null) continue;
            if (ran) c[1] = 1;
            if (--c[0] == 0 && c[1] == 1) runHooks(in);
        }
    }

    private static void runHooks(Tensor leaf) {
        List<PostAccumulateGradHook> hooks = leaf.postAccumulateGradHooks();
        if (hooks != null) for (PostAccumulateGradHook h : hooks) h.afterAccumulate(leaf);
    }

    /** Nodes reachable from {@code root}, each after every node that consumes its output. */
    static List<Node> topologicalOrder(Node root) {
        // Iterative DFS post-order, reversed: avoids stack overflow on deep graphs (ResNet-152, long RNN loops).
        List<Node> post = new ArrayList<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Node n = (Node) frame[0];
            int i = (Integer) frame[1];
            Tensor[] ins = n.inputs();
            boolean pushed = false;
            while (i < ins.length) {
                Tensor t = ins[i++];
                Node c = t == null ? null : t.gradFn();
                if (c != null && seen.put(c, Boolean.TRUE) == null) {
                    frame[1] = i;
                    stack.push(new Object[] {c, 0});
                    pushed = true;
                    break;
                }
            }
            if (!pushed) {
                stack.pop();
                post.add(n);
            }
        }
        java.util.Collections.reverse(post);
        return post;
    }
}
