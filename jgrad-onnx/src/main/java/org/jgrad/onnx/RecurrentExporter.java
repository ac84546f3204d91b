package org.jgrad.onnx;

import static org.jgrad.onnx.GraphBuilder.attr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.internal.TensorData;
import org.jgrad.autograd.Graph;
import org.jgrad.onnx.proto.OnnxProto.AttributeProto;
import org.jgrad.ops.MatmulAttributes;
import org.jgrad.ops.RecurrentOps;
import org.jgrad.tensor.Tensor;

/**
 * Writes jgrad's recurrent layer nodes ({@code lstm}, {@code gru}, {@code rnn_tanh}, {@code rnn_relu}:
 * one direction of one layer, {@link RecurrentOps#layer}) as ONNX {@code LSTM}, {@code GRU} and
 * {@code RNN} nodes.
 *
 * <ul>
 *   <li>The input projection that {@code nn.LSTM} and friends compute before the node
 *       ({@code x·W_ihᵀ + b_ih}) is folded into the ONNX node's {@code W} and {@code Wb}; the matrix
 *       product is then unread and pruned. A projection computed some other way stays, and the node
 *       gets an identity {@code W}.
 *   <li>The gate blocks are reordered in the graph, by a {@code Gather} of the weight's rows
 *       (PyTorch's LSTM i|f|g|o to ONNX's i|o|f|c, GRU r|z|n to z|r|h with {@code linear_before_reset=1}),
 *       so the file keeps the weights under their state-dict names and an import trains them.
 *   <li>The two directions of a bidirectional layer become one node with {@code direction="bidirectional"}.
 *   <li>Initial states are left out when they are the zeros the module makes (ONNX's default, and free
 *       of the traced batch size), else passed in.
 *   <li>The jgrad node's output (every step's state, then the final hidden and, for an LSTM, cell state,
 *       stacked on the time axis) is rebuilt from {@code Y}, {@code Y_h} and {@code Y_c}, so the slices
 *       the module takes of it ({@code output}, {@code h_n}, {@code c_n}) export like any other op.
 * </ul>
 */
final class RecurrentExporter {
    /** What the exporter knows beyond one node: the ONNX names of values, and sequence lengths. */
    interface Context {
        /** The ONNX value that holds {@code input}. */
        String name(Graph.Input input);

        /** The ONNX int32 [batch] value of the rows' lengths that {@code op} recorded (see {@link OnnxExporter}). */
        String lengths(Graph.Op op);
    }

    /** The ONNX outputs of an emitted node and how many directions it runs. */
    private record Emitted(String y, String yh, String yc, int directions) {}

    private final GraphBuilder g;
    private final Context ctx;
    /** The two directions of each bidirectional layer, each op mapped to its partner. */
    private final Map<Graph.Op, Graph.Op> partners = new IdentityHashMap<>();
    private final Map<Graph.Op, Emitted> emitted = new IdentityHashMap<>();

    RecurrentExporter(GraphBuilder g, Context ctx, List<Graph.Op> ops) {
        this.g = g;
        this.ctx = ctx;
        List<Graph.Op> forward = new ArrayList<>();
        for (Graph.Op op : ops) if (isRecurrent(op.type()) && !attributes(op).reverse()) forward.add(op);
        for (Graph.Op op : ops) {
            if (!isRecurrent(op.type()) || !attributes(op).reverse()) continue;
            for (Graph.Op f : forward)
                if (!partners.containsKey(f) && pairs(f, op)) {
                    partners.put(f, op);
                    partners.put(op, f);
                    break;
                }
        }
    }

    static boolean isRecurrent(String type) {
        return type.equals("lstm") || type.equals("gru") || type.equals("rnn_tanh") || type.equals("rnn_relu");
    }

    private static RecurrentOps.LayerAttributes attributes(Graph.Op op) {
        return (RecurrentOps.LayerAttributes) op.attributes();
    }

    /** The input projection {@code view(linear(view(x), W, b))} folded into the node: x, W and b. */
    private record Projection(Graph.Input x, Graph.Input weight, Graph.Input bias) {}

    private static Projection projection(Graph.Op op) {
        Graph.Op unflat = op.inputs().get(0).producer();
        if (unflat == null || !unflat.type().equals("view")) return null;
        Graph.Op linear = unflat.inputs().get(0).producer();
        if (linear == null || !(linear.attributes() instanceof MatmulAttributes.Linear)
                || !(linear.type().equals("addmm") || linear.type().equals("mm"))) return null;
        Graph.Input w = linear.inputs().get(1);
        if (w.producer() != null || linear.inputShape(0).length != 2) return null;
        Graph.Input b = linear.inputs().size() > 2 ? linear.inputs().get(2) : null;
        if (b != null && (!b.present() || b.producer() != null || b.shape().length != 1)) return null;
        Graph.Op flat = linear.inputs().get(0).producer();
        if (flat == null || !flat.type().equals("view")) return null;
        int[] xs = flat.inputShape(0), ps = op.inputShape(0);
        if (xs.length != 3 || xs[0] != ps[0] || xs[1] != ps[1]) return null;
        return new Projection(flat.inputs().get(0), w, b);
    }

    private static boolean pairs(Graph.Op f, Graph.Op r) {
        if (!f.type().equals(r.type()) || !Arrays.equals(f.inputShape(3), r.inputShape(3))) return false;
        if (!Arrays.equals(attributes(f).lengths(), attributes(r).lengths())) return false;
        Projection pf = projection(f), pr = projection(r);
        if (pf == null || pr == null || pf.x().producer() != pr.x().producer() || pf.x().tensor() != pr.x().tensor()) return false;
        // The partner's states must exist when the first of the two is written.
        for (Graph.Op op : List.of(f, r))
            for (int i = 1; i <= 2; i++) if (op.inputs().get(i).present() && op.inputs().get(i).producer() != null) return false;
        return true;
    }

    /** Emits {@code op}, whose output the graph calls {@code out}. */
    void emit(Graph.Op op, String out) {
        Graph.Op partner = partners.get(op);
        // A bidirectional node runs the forward direction first.
        int direction = partner != null && attributes(op).reverse() ? 1 : 0;
        Emitted e = emitted.get(op);
        if (e == null) {
            List<Graph.Op> dirs = partner == null ? List.of(op) : direction == 1 ? List.of(partner, op) : List.of(op, partner);
            e = emitNode(dirs);
            for (Graph.Op d : dirs) emitted.put(d, e);
        }
        // The jgrad node's output: [T + 1 (+ 1), B, H], every step then h_n (then c_n).
        String y = e.directions() == 1 ? g.node("Squeeze", new String[] {e.y(), g.longs(1)})
                : g.node("Squeeze", new String[] {slice(e.y(), 1, direction), g.longs(1)});
        String h = e.directions() == 1 ? e.yh() : slice(e.yh(), 0, direction);
        if (e.yc() == null) g.node("Concat", new String[] {y, h}, out, attr("axis", 0));
        else {
            String c = e.directions() == 1 ? e.yc() : slice(e.yc(), 0, direction);
            g.node("Concat", new String[] {y, h, c}, out, attr("axis", 0));
        }
    }

    private String slice(String x, int axis, int index) {
        return g.node("Slice", new String[] {x, g.longs(index), g.longs(index + 1), g.longs(axis)});
    }

    /** ONNX's gate blocks, each as the index of PyTorch's block it takes. */
    private static int[] gateOrder(RecurrentOps.Mode mode) {
        return switch (mode) {
            case LSTM -> new int[] {0, 3, 1, 2}; // i|f|g|o → i|o|f|c
            case GRU -> new int[] {1, 0, 2}; // r|z|n → z|r|h
            case RNN_TANH, RNN_RELU -> new int[] {0};
        };
    }

    /** The rows of a [G·H, …] tensor in ONNX's gate order. */
    private static Tensor rowOrder(RecurrentOps.Mode mode, int hidden) {
        int[] blocks = gateOrder(mode);
        long[] rows = new long[blocks.length * hidden];
        for (int k = 0; k < blocks.length; k++)
            for (int j = 0; j < hidden; j++) rows[k * hidden + j] = (long) blocks[k] * hidden + j;
        return TensorData.wrapLongs(rows, rows.length);
    }

    private Emitted emitNode(List<Graph.Op> dirs) {
        Graph.Op first = dirs.get(0);
        RecurrentOps.LayerAttributes a = attributes(first);
        RecurrentOps.Mode mode = a.mode();
        int hidden = first.inputShape(3)[1], gh = first.inputShape(3)[0];
        String order = g.initializer(rowOrder(mode, hidden), null);
        Projection p = projection(first);
        String x = p != null ? ctx.name(p.x()) : ctx.name(first.inputs().get(0));

        List<String> w = new ArrayList<>(), r = new ArrayList<>(), b = new ArrayList<>();
        boolean anyBias = false;
        for (Graph.Op op : dirs) {
            Projection q = projection(op);
            if (q != null) w.add(g.node("Gather", new String[] {ctx.name(q.weight()), order}, attr("axis", 0)));
            else {
                // The projection was computed before the node: W is the identity with its rows in ONNX's order.
                Tensor identity = Tensor.eye(gh).indexSelect(0, rowOrder(mode, hidden));
                w.add(g.initializer(identity, null));
            }
            r.add(g.node("Gather", new String[] {ctx.name(op.inputs().get(3)), order}, attr("axis", 0)));
            Graph.Input bhh = op.inputs().size() > 4 ? op.inputs().get(4) : null;
            boolean wb = q != null && q.bias() != null, rb = bhh != null && bhh.present();
            anyBias |= wb || rb;
            String zeros = wb && rb ? null : g.initializer(Tensor.zeros(gh), null);
            b.add(g.node("Concat", new String[] {
                wb ? g.node("Gather", new String[] {ctx.name(q.bias()), order}, attr("axis", 0)) : zeros,
                rb ? g.node("Gather", new String[] {ctx.name(bhh), order}, attr("axis", 0)) : zeros}, attr("axis", 0)));
        }
        String lengths = a.variableLengths() ? ctx.lengths(first) : null;
        String h0 = states(dirs, 1), c0 = mode == RecurrentOps.Mode.LSTM ? states(dirs, 2) : null;

        List<String> inputs = new ArrayList<>(List.of(x, stack(w), stack(r)));
        inputs.add(anyBias ? stack(b) : null);
        inputs.add(lengths);
        inputs.add(h0);
        if (mode == RecurrentOps.Mode.LSTM) inputs.add(c0);
        while (inputs.get(inputs.size() - 1) == null) inputs.remove(inputs.size() - 1);

        String type = switch (mode) {
            case LSTM -> "LSTM";
            case GRU -> "GRU";
            case RNN_TANH, RNN_RELU -> "RNN";
        };
        String direction = dirs.size() == 2 ? "bidirectional" : a.reverse() ? "reverse" : "forward";
        List<AttributeProto> attrs = new ArrayList<>(List.of(attr("hidden_size", hidden), attr("direction", direction)));
        if (mode == RecurrentOps.Mode.GRU) attrs.add(attr("linear_before_reset", 1));
        if (mode == RecurrentOps.Mode.RNN_RELU) {
            String[] acts = new String[dirs.size()];
            Arrays.fill(acts, "Relu");
            attrs.add(attr("activations", acts));
        }
        String y = g.freshName(type + "_Y"), yh = g.freshName(type + "_Y_h");
        String yc = mode == RecurrentOps.Mode.LSTM ? g.freshName(type + "_Y_c") : null;
        String[] outs = yc == null ? new String[] {y, yh} : new String[] {y, yh, yc};
        g.node(type, inputs.toArray(String[]::new), outs, attrs.toArray(AttributeProto[]::new));
        return new Emitted(y, yh, yc, dirs.size());
    }

    /** [D, …] from one [G·H, …] value per direction. */
    private String stack(List<String> perDirection) {
        List<String> u = new ArrayList<>();
        for (String s : perDirection) u.add(g.node("Unsqueeze", new String[] {s, g.longs(0)}));
        return u.size() == 1 ? u.get(0) : g.node("Concat", u.toArray(String[]::new), attr("axis", 0));
    }

    /** The initial states [D, B, H] (input 1: h0, 2: c0), or null when every one is the module's zeros. */
    private String states(List<Graph.Op> dirs, int input) {
        boolean given = false;
        for (Graph.Op op : dirs) given |= !zeroConstant(op.inputs().get(input));
        if (!given) return null;
        List<String> s = new ArrayList<>();
        for (Graph.Op op : dirs) s.add(ctx.name(op.inputs().get(input)));
        return stack(s);
    }

    private static boolean zeroConstant(Graph.Input in) {
        if (!in.present()) return true;
        if (in.producer() != null || in.tensor().requiresGrad()) return false;
        for (float v : in.tensor().contiguous().toFloatArray()) if (v != 0) return false;
        return true;
    }
}
