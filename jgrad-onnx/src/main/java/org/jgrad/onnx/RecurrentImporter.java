package org.jgrad.onnx;

import java.util.Arrays;
import java.util.Set;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.RecurrentOps;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * ONNX's {@code LSTM}, {@code GRU} and {@code RNN} nodes on jgrad's recurrent layer op
 * ({@link RecurrentOps#layer}, one node per direction with backpropagation through time), so an
 * imported recurrent model trains. The weights stay as the file has them ({@code W}, {@code R},
 * {@code B} stacked over directions in ONNX's gate order): each run slices them into PyTorch's gate
 * order by differentiable ops. What jgrad's cells cannot compute is refused at load time, naming the
 * node and the attribute: peepholes ({@code P}), {@code clip}, {@code input_forget}, activations other
 * than the defaults (and {@code Relu} for RNN), and a GRU without {@code linear_before_reset=1} (the
 * form PyTorch and jgrad compute).
 */
final class RecurrentImporter {
    private RecurrentImporter() {}

    static final Set<String> OPS = Set.of("LSTM", "GRU", "RNN");

    static OpImporter.Kernel compile(String op, NodeAttributes a) throws OnnxFormatException {
        String direction = a.getString("direction", "forward");
        int dirs = switch (direction) {
            case "forward", "reverse" -> 1;
            case "bidirectional" -> 2;
            default -> throw a.error(op + " direction '" + direction + "' is not forward, reverse or bidirectional");
        };
        if (a.has("clip")) throw a.error(op + " attribute 'clip' (cell clipping) is not supported");
        if (a.has("activation_alpha") || a.has("activation_beta"))
            throw a.error(op + " attributes 'activation_alpha'/'activation_beta' are not supported (default activations only)");
        int layout = a.getSmallInt("layout", 0);
        if (layout != 0 && layout != 1) throw a.error(op + " attribute 'layout' must be 0 or 1, got " + layout);
        long hiddenAttr = a.getInt("hidden_size", -1);
        RecurrentOps.Mode mode = switch (op) {
            case "LSTM" -> {
                if (a.getInt("input_forget", 0) != 0)
                    throw a.error("LSTM attribute 'input_forget' (coupled input and forget gates) is not supported");
                if (a.hasInput(7)) throw a.error("LSTM input 'P' (peephole weights) is not supported");
                activations(a, op, dirs, "Sigmoid", "Tanh", "Tanh");
                yield RecurrentOps.Mode.LSTM;
            }
            case "GRU" -> {
                if (a.getInt("linear_before_reset", 0) != 1)
                    throw a.error("GRU attribute 'linear_before_reset' is " + a.getInt("linear_before_reset", 0)
                            + "; jgrad's GRU (like PyTorch's) applies the reset gate after the hidden projection, which is"
                            + " linear_before_reset=1");
                activations(a, op, dirs, "Sigmoid", "Tanh");
                yield RecurrentOps.Mode.GRU;
            }
            default -> {
                String[] acts = a.getStrings("activations");
                boolean relu = acts != null && acts.length > 0 && acts[0].equals("Relu");
                activations(a, op, dirs, relu ? "Relu" : "Tanh");
                yield relu ? RecurrentOps.Mode.RNN_RELU : RecurrentOps.Mode.RNN_TANH;
            }
        };
        int[] order = gateOrder(mode);
        boolean lstm = mode == RecurrentOps.Mode.LSTM, batchFirst = layout == 1;
        return new OpImporter.Kernel() {
            @Override
            public Tensor run(Tensor[] in, boolean training) {
                return runAll(in, training)[0];
            }

            @Override
            public Tensor[] runAll(Tensor[] in, boolean training) {
                Tensor x = batchFirst ? in[0].transpose(0, 1) : in[0];
                Tensor w = in[1], r = in[2];
                Tensor b = input(in, 3), lens = input(in, 4), h0 = input(in, 5), c0 = lstm ? input(in, 6) : null;
                int G = order.length;
                if (x.dim() != 3) throw new IllegalArgumentException(op + ": X must be 3-D, got " + Shape.str(in[0].shape()));
                int T = x.size(0), B = x.size(1), I = x.size(2);
                if (r.dim() != 3 || r.size(0) != dirs || r.size(1) % G != 0 || r.size(1) / G != r.size(2))
                    throw new IllegalArgumentException(op + ": R must be [" + dirs + ", " + G + "*hidden, hidden], got "
                            + Shape.str(r.shape()));
                int H = r.size(2);
                if (hiddenAttr >= 0 && hiddenAttr != H)
                    throw new IllegalArgumentException(op + ": hidden_size is " + hiddenAttr + " but R is " + Shape.str(r.shape()));
                if (w.dim() != 3 || w.size(0) != dirs || w.size(1) != G * H || w.size(2) != I)
                    throw new IllegalArgumentException(op + ": W must be [" + dirs + ", " + G * H + ", " + I + "], got "
                            + Shape.str(w.shape()));
                if (b != null && (b.dim() != 2 || b.size(0) != dirs || b.size(1) != 2 * G * H))
                    throw new IllegalArgumentException(op + ": B must be [" + dirs + ", " + 2 * G * H + "], got "
                            + Shape.str(b.shape()));
                if (batchFirst) {
                    if (h0 != null) h0 = h0.transpose(0, 1);
                    if (c0 != null) c0 = c0.transpose(0, 1);
                }
                checkState(op, "initial_h", h0, dirs, B, H);
                checkState(op, "initial_c", c0, dirs, B, H);
                int[] lengths = lengths(op, lens, B, T);
                Tensor flat = x.contiguous().reshape(T * B, I);
                Tensor[] ys = new Tensor[dirs], hs = new Tensor[dirs], cs = new Tensor[dirs];
                for (int d = 0; d < dirs; d++) {
                    Tensor wb = b == null ? null : reorder(b.select(0, d).narrow(0, 0, G * H), order, H);
                    Tensor rb = b == null ? null : reorder(b.select(0, d).narrow(0, G * H, G * H), order, H);
                    Tensor xp = F.linear(flat, reorder(w.select(0, d), order, H), wb).reshape(T, B, G * H);
                    Tensor hd = h0 == null ? Tensor.zeros(B, H) : h0.select(0, d);
                    Tensor cd = !lstm ? null : c0 == null ? Tensor.zeros(B, H) : c0.select(0, d);
                    boolean reverse = d == 1 || direction.equals("reverse");
                    RecurrentOps.LayerResult res = RecurrentOps.layer(mode, xp, hd, cd, reorder(r.select(0, d), order, H), rb,
                            lengths, reverse);
                    ys[d] = res.output();
                    hs[d] = res.h();
                    cs[d] = res.c();
                }
                Tensor y = Tensor.stack(1, ys), yh = Tensor.stack(0, hs), yc = lstm ? Tensor.stack(0, cs) : null;
                if (batchFirst) {
                    y = y.permute(2, 0, 1, 3);
                    yh = yh.transpose(0, 1);
                    if (yc != null) yc = yc.transpose(0, 1);
                }
                return lstm ? new Tensor[] {y, yh, yc} : new Tensor[] {y, yh};
            }
        };
    }

    /** Refuses activations other than {@code expected} (each direction lists its own). */
    private static void activations(NodeAttributes a, String op, int dirs, String... expected) throws OnnxFormatException {
        String[] acts = a.getStrings("activations");
        if (acts == null) return;
        String[] want = new String[expected.length * dirs];
        for (int d = 0; d < dirs; d++) System.arraycopy(expected, 0, want, d * expected.length, expected.length);
        boolean same = acts.length == want.length;
        for (int i = 0; same && i < want.length; i++) same = acts[i].equalsIgnoreCase(want[i]);
        if (!same)
            throw a.error(op + " attribute 'activations' is " + Arrays.toString(acts) + "; jgrad computes only "
                    + Arrays.toString(want));
    }

    /** For each of PyTorch's gate blocks, the ONNX block that holds it. */
    private static int[] gateOrder(RecurrentOps.Mode mode) {
        return switch (mode) {
            case LSTM -> new int[] {0, 2, 3, 1}; // ONNX i|o|f|c → i|f|g|o
            case GRU -> new int[] {1, 0, 2}; // ONNX z|r|h → r|z|n
            case RNN_TANH, RNN_RELU -> new int[] {0};
        };
    }

    private static Tensor reorder(Tensor t, int[] order, int hidden) {
        if (order.length == 1) return t;
        Tensor[] blocks = new Tensor[order.length];
        for (int k = 0; k < order.length; k++) blocks[k] = t.narrow(0, order[k] * hidden, hidden);
        return Tensor.cat(0, blocks);
    }

    private static Tensor input(Tensor[] in, int i) {
        return i < in.length ? in[i] : null;
    }

    private static void checkState(String op, String name, Tensor s, int dirs, int batch, int hidden) {
        if (s != null && (s.dim() != 3 || s.size(0) != dirs || s.size(1) != batch || s.size(2) != hidden))
            throw new IllegalArgumentException(op + ": " + name + " must be [" + dirs + ", " + batch + ", " + hidden + "], got "
                    + Shape.str(s.shape()));
    }

    private static int[] lengths(String op, Tensor lens, int batch, int steps) {
        if (lens == null) return null;
        long[] v = lens.toLong().contiguous().toLongArray();
        if (v.length != batch)
            throw new IllegalArgumentException(op + ": sequence_lens has " + v.length + " values for a batch of " + batch);
        int[] r = new int[batch];
        for (int i = 0; i < batch; i++) {
            if (v[i] < 0 || v[i] > steps)
                throw new IllegalArgumentException(op + ": sequence_lens[" + i + "] = " + v[i] + " is outside 0.." + steps);
            r[i] = (int) v[i];
        }
        return r;
    }
}
