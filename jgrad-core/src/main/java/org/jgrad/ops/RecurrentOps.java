package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.backend.Backends;
import org.jgrad.backend.LinalgBackend;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Recurrent layers as single graph nodes: one direction of one RNN/LSTM/GRU layer over a whole
 * sequence ({@link #layer}). The whole recurrence is one node with a hand-written backward
 * (backpropagation through time), instead of a dozen small nodes per time step.
 */
public final class RecurrentOps {
    private RecurrentOps() {}

    /** The recurrent cell, with PyTorch's gate order. */
    public enum Mode {
        /** Elman RNN with tanh. */ RNN_TANH(LinalgBackend.RecurrentCell.RNN_TANH, 1),
        /** Elman RNN with ReLU. */ RNN_RELU(LinalgBackend.RecurrentCell.RNN_RELU, 1),
        /** LSTM, gates i|f|g|o. */ LSTM(LinalgBackend.RecurrentCell.LSTM, 4),
        /** GRU, gates r|z|n, the reset gate applied to {@code W_hn·h + b_hn}. */ GRU(LinalgBackend.RecurrentCell.GRU, 3);

        final LinalgBackend.RecurrentCell cell;
        private final int gates;

        Mode(LinalgBackend.RecurrentCell cell, int gates) {
            this.cell = cell;
            this.gates = gates;
        }

        /** Gate blocks of hidden-size rows in {@code weight_ih}/{@code weight_hh}: 1, 4 or 3. */
        public int gates() {
            return gates;
        }
    }

    /**
     * What {@link #layer} returns: views of one recorded tensor, so gradients of all three flow into
     * the one node.
     *
     * @param output the hidden state after every step [T, B, H] (0 at steps past a row's length)
     * @param h the final hidden state [B, H]
     * @param c the final cell state [B, H] (LSTM), else null
     */
    public record LayerResult(Tensor output, Tensor h, Tensor c) {}

    /**
     * The attributes recorded with a layer node: the cell, the direction and the valid steps of each
     * batch row ({@code lengths}, null for full-length rows; a copy, so the caller's array stays theirs).
     */
    public record LayerAttributes(Mode mode, boolean reverse, int[] lengths) implements org.jgrad.autograd.OpAttributes {
        /** Whether the rows have their own lengths (a padded or packed batch). */
        public boolean variableLengths() {
            return lengths != null;
        }

        @Override
        public int[] lengths() {
            return lengths == null ? null : lengths.clone();
        }

        @Override
        public String toString() {
            return "LayerAttributes[mode=" + mode + ", reverse=" + reverse + ", lengths="
                    + (lengths == null ? "full" : java.util.Arrays.toString(lengths)) + "]";
        }
    }

    /**
     * One direction of a recurrent layer over a sequence.
     *
     * @param xProj the input projection {@code x·W_ihᵀ + b_ih} of every step, [T, B, G·H]
     * @param h0 initial hidden state [B, H]
     * @param c0 initial cell state [B, H] for LSTM, else null
     * @param whh hidden weights [G·H, H] (PyTorch's {@code weight_hh_l*})
     * @param bhh hidden bias [G·H] or null
     * @param lengths valid steps per batch row (each 0..T), or null for full-length rows
     * @param reverse run from the last step to the first (the reverse direction of a bidirectional layer)
     */
    public static LayerResult layer(Mode mode, Tensor xProj, Tensor h0, Tensor c0, Tensor whh, Tensor bhh,
            int[] lengths, boolean reverse) {
        String op = mode.name().toLowerCase(java.util.Locale.ROOT);
        ElementwiseOps.requireFloat(op, xProj, h0, whh);
        int G = mode.gates();
        if (whh.dim() != 2 || whh.size(0) % G != 0 || whh.size(0) / G != whh.size(1))
            throw new IllegalArgumentException(op + ": weight_hh must be [" + G + "*hidden, hidden], got "
                    + Shape.str(whh.shape()));
        int H = whh.size(1);
        if (xProj.dim() != 3 || xProj.size(2) != G * H)
            throw new IllegalArgumentException(op + ": input projection must be [T, B, " + G * H + "], got "
                    + Shape.str(xProj.shape()));
        int T = xProj.size(0), B = xProj.size(1);
        requireState(op, "h0", h0, B, H);
        if (mode == Mode.LSTM) requireState(op, "c0", c0, B, H);
        else if (c0 != null) throw new IllegalArgumentException(op + ": only an LSTM has a cell state");
        if (bhh != null && (bhh.dim() != 1 || bhh.size(0) != G * H))
            throw new IllegalArgumentException(op + ": bias_hh must be [" + G * H + "], got " + Shape.str(bhh.shape()));
        if (bhh != null) ElementwiseOps.requireFloat(op, bhh);
        if (lengths != null) {
            if (lengths.length != B)
                throw new IllegalArgumentException(op + ": " + lengths.length + " lengths for a batch of " + B);
            for (int b = 0; b < B; b++)
                if (lengths[b] < 0 || lengths[b] > T)
                    throw new IllegalArgumentException(op + ": length " + lengths[b] + " of batch row " + b
                            + " is outside 0.." + T);
        }
        int[] lens = lengths == null ? null : lengths.clone();
        int extra = mode == Mode.LSTM ? 2 : 1;
        Tensor xc = xProj.contiguous(), wc = whh.contiguous(), bc = bhh == null ? null : bhh.contiguous();
        Tensor hc = h0.contiguous(), cc = c0 == null ? null : c0.contiguous();
        Tensor y = Tensor.zeros(T + extra, B, H), acts = Tensor.zeros(T, B, G * H), hPrev = Tensor.zeros(T, B, H);
        Tensor cPrev = mode == Mode.LSTM ? Tensor.zeros(T, B, H) : null;
        Tensor hn = mode == Mode.GRU ? Tensor.zeros(T, B, H) : null;
        LinalgBackend linalg = Backends.current().linalg();
        linalg.recurrentForward(mode.cell, T, B, H, TensorData.storage(xc), xc.offset(), TensorData.storage(wc), wc.offset(),
                storageOrNull(bc), offset(bc), TensorData.storage(hc), hc.offset(), storageOrNull(cc), offset(cc), lens, reverse,
                TensorData.storage(y), TensorData.storage(acts), TensorData.storage(hPrev), storageOrNull(cPrev), storageOrNull(hn));
        if (Autograd.needsGraph(xProj, h0, c0, whh, bhh)) {
            Autograd.record(y, op, new LayerAttributes(mode, reverse, lens == null ? null : lens.clone()), g -> {
                Tensor gc = g.contiguous();
                Tensor dxp = Tensor.zeros(T, B, G * H);
                Tensor dh0 = h0.requiresGrad() ? Tensor.zeros(B, H) : null;
                Tensor dc0 = c0 != null && c0.requiresGrad() ? Tensor.zeros(B, H) : null;
                Tensor dw = whh.requiresGrad() ? Tensor.zeros(G * H, H) : null;
                Tensor db = bhh != null && bhh.requiresGrad() ? Tensor.zeros(G * H) : null;
                linalg.recurrentBackward(mode.cell, T, B, H, TensorData.storage(gc), gc.offset(), TensorData.storage(wc), wc.offset(),
                        lens, reverse, TensorData.storage(acts), TensorData.storage(hPrev), storageOrNull(cPrev), storageOrNull(hn),
                        TensorData.storage(dxp), storageOrNull(dh0), storageOrNull(dc0), storageOrNull(dw), storageOrNull(db));
                return new Tensor[] {xProj.requiresGrad() ? dxp : null, dh0, dc0, dw, db};
            }, xProj, h0, c0, whh, bhh);
        }
        Tensor out = y.narrow(0, 0, T), h = y.select(0, T), c = mode == Mode.LSTM ? y.select(0, T + 1) : null;
        return new LayerResult(out, h, c);
    }

    private static Storage storageOrNull(Tensor t) {
        return t == null ? null : TensorData.storage(t);
    }

    private static int offset(Tensor t) {
        return t == null ? 0 : t.offset();
    }

    private static void requireState(String op, String name, Tensor s, int B, int H) {
        if (s == null) throw new IllegalArgumentException(op + ": " + name + " is required");
        ElementwiseOps.requireFloat(op, s);
        if (s.dim() != 2 || s.size(0) != B || s.size(1) != H)
            throw new IllegalArgumentException(op + ": " + name + " must be [" + B + ", " + H + "], got "
                    + Shape.str(s.shape()));
    }
}
