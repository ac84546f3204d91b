package org.jgrad.autograd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * A read-only snapshot of the recorded graph behind one or more tensors: every op in topological
 * order (each after the ops that produced its inputs), with its type, its attribute record and the
 * shapes it consumed and produced. It is what an exporter (ONNX) or a printer walks, and it works
 * for any computation, including a hand-written {@code forward()}:
 *
 * <pre>{@code
 * Tensor y = model.forward(x);                  // grad mode on, parameters require grad
 * for (Graph.Op op : Graph.trace(y).ops("convolution")) {
 *     Conv2dOptions o = (Conv2dOptions) op.attributes();
 *     System.out.println(op.inputShape(1) + " stride " + o.strideH());
 * }
 * System.out.println(Graph.trace(y));          // one line per op
 * }</pre>
 *
 * <p>Only what autograd recorded is there: ops run under {@link NoGrad}, or on tensors none of which
 * requires grad, leave no node. The walk reads the graph and changes nothing; it also works after a
 * backward pass (the ops' types, attributes and inputs stay; only their saved values are freed).
 */
public final class Graph {
    /**
     * One input of an op: the tensor, and the op that produced it, or null when it is a leaf (a
     * parameter, an input that requires grad) or a constant (a tensor that requires no grad).
     * {@code tensor} is null for an optional input that was absent (a missing bias).
     */
    public record Input(Tensor tensor, Op producer) {
        /** False for an absent optional input. */
        public boolean present() {
            return tensor != null;
        }

        /** The input's shape; null when absent. */
        public int[] shape() {
            return tensor == null ? null : tensor.shape();
        }
    }

    /**
     * One recorded op.
     *
     * @param index position in {@link #ops()}, from 0
     * @param type the op type ({@link Node#op()}), e.g. {@code "convolution"}
     * @param attributes its settings, {@link OpAttributes#NONE} when it has none
     * @param inputs its inputs in argument order
     * @param output the tensor it produced
     * @param node the autograd node itself
     */
    public record Op(int index, String type, OpAttributes attributes, List<Input> inputs, Tensor output, Node node) {
        /** The shape of input {@code i}; null when that optional input was absent. */
        public int[] inputShape(int i) {
            return inputs.get(i).shape();
        }

        /** The shape of the output. */
        public int[] outputShape() {
            return output.shape();
        }
    }

    private final List<Op> ops;

    private Graph(List<Op> ops) {
        this.ops = Collections.unmodifiableList(ops);
    }

    /**
     * The graph that computed {@code outputs}: every recorded op they depend on, in topological
     * order. A tensor without a recorded op (a leaf, or one computed without grad) contributes none.
     */
    public static Graph trace(Tensor... outputs) {
        if (outputs == null || outputs.length == 0)
            throw new IllegalArgumentException("Graph.trace: give at least one output tensor");
        Map<Node, Tensor> producedBy = new IdentityHashMap<>();
        List<Node> order = new ArrayList<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        for (Tensor out : outputs) {
            if (out == null) throw new IllegalArgumentException("Graph.trace: an output tensor is null");
            Node root = out.gradFn();
            if (root == null) continue;
            producedBy.putIfAbsent(root, out);
            if (seen.containsKey(root)) continue;
            // Engine's order puts consumers first; an exporter wants producers first.
            List<Node> part = Engine.topologicalOrder(root);
            Collections.reverse(part);
            for (Node n : part) if (seen.put(n, Boolean.TRUE) == null) order.add(n);
        }
        for (Node n : order)
            for (Tensor in : n.inputs())
                if (in != null && in.gradFn() != null) producedBy.putIfAbsent(in.gradFn(), in);
        Map<Node, Op> opOf = new IdentityHashMap<>();
        List<Op> ops = new ArrayList<>(order.size());
        for (Node n : order) {
            List<Input> inputs = new ArrayList<>(n.inputs().length);
            for (Tensor in : n.inputs()) inputs.add(new Input(in, in == null ? null : opOf.get(in.gradFn())));
            Op op = new Op(ops.size(), n.op(), n.attributes(), Collections.unmodifiableList(inputs), producedBy.get(n), n);
            opOf.put(n, op);
            ops.add(op);
        }
        return new Graph(ops);
    }

    /** Every op, each after the ops that produced its inputs. */
    public List<Op> ops() {
        return ops;
    }

    /** The ops of one type, in graph order, e.g. {@code ops("convolution")}. */
    public List<Op> ops(String type) {
        List<Op> r = new ArrayList<>();
        for (Op op : ops) if (op.type().equals(type)) r.add(op);
        return r;
    }

    /**
     * One line per op: {@code %3 = convolution(%2 [32, 64, 8, 8], leaf [64, 64, 3, 3]) Conv2dOptions[...] -> [32, 64, 8, 8]};
     * {@code %k} is the output of op k, {@code leaf} a parameter or input that requires grad, {@code const}
     * a tensor that requires none, {@code none} an absent optional input.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Op op : ops) {
            b.append('%').append(op.index()).append(" = ").append(op.type()).append('(');
            for (int i = 0; i < op.inputs().size(); i++) {
                Input in = op.inputs().get(i);
                if (i > 0) b.append(", ");
                if (!in.present()) b.append("none");
                else {
                    b.append(in.producer() != null ? "%" + in.producer().index()
                            : in.tensor().requiresGrad() ? "leaf" : "const");
                    b.append(' ').append(Shape.str(in.shape()));
                }
            }
            b.append(')');
            String attrs = op.attributes().toString();
            if (!attrs.isEmpty()) b.append(' ').append(attrs);
            b.append(" -> ").append(Shape.str(op.outputShape())).append('\n');
        }
        return b.toString();
    }
}
