package org.jgrad.kernels;

/**
 * One direction of one recurrent layer over a whole sequence, forward and backward, on row-major
 * arrays: the loops behind {@code RNN}, {@code LSTM} and {@code GRU} (PyTorch's equations and gate
 * orders).
 *
 * <p>The input projection {@code x·W_ihᵀ + b_ih} of every time step is computed by the caller as one
 * GEMM and arrives as {@code xp} [T, B, G·H] (G = 1, 4, 3 gates). Each step then costs one GEMM for
 * all gates ({@code h·W_hhᵀ}, [B, H] × [H, G·H]) and one fused pass over the gates that applies the
 * nonlinearities and the state update. The backward pass walks the steps in reverse with one GEMM a
 * step for the hidden-state gradient; the weight gradient of every step is one GEMM at the end
 * ({@code dGatesᵀ · H_prev} over all T·B rows).
 *
 * <p>Variable lengths: with {@code lengths}, batch row b takes part in steps t &lt; lengths[b] only;
 * at later steps its state is carried unchanged and its output is 0, so the final state is the state
 * after its last real step (PyTorch's packed sequences). In reverse, row b starts at lengths[b] − 1.
 */
public final class Recurrent {
    private Recurrent() {}

    /** The cell of a layer, with its gate count. */
    public enum Cell {
        /** {@code h' = tanh(xp + h·W_hhᵀ + b_hh)}. */ RNN_TANH(1),
        /** {@code h' = relu(xp + h·W_hhᵀ + b_hh)}. */ RNN_RELU(1),
        /** Gates i|f|g|o; {@code c' = f·c + i·g}, {@code h' = o·tanh(c')}. */ LSTM(4),
        /** Gates r|z|n; {@code n = tanh(xp_n + r·(W_hn·h + b_hn))}, {@code h' = (1 − z)·n + z·h}. */ GRU(3);

        /** Gate blocks of H rows in the weights. */
        public final int gates;

        Cell(int gates) {
            this.gates = gates;
        }
    }

    /**
     * The forward pass of one direction.
     *
     * @param xp input projection [T, B, G·H] at {@code xpOff}, contiguous
     * @param whh hidden weights [G·H, H] at {@code whhOff}, contiguous; {@code bhh} [G·H] at
     *     {@code bhhOff} or null
     * @param h0 initial hidden state [B, H] at {@code h0Off}; {@code c0} likewise (LSTM only)
     * @param lengths valid steps per batch row, or null when every row has T
     * @param y output [T + 1 (+1 for LSTM), B, H]: rows 0..T−1 the outputs, row T the final hidden
     *     state, row T+1 the final cell state
     * @param acts saved for backward: the gates after their nonlinearity [T, B, G·H] (for the plain
     *     RNN the new state)
     * @param hPrev saved: the hidden state each step read [T, B, H]
     * @param cPrev saved: the cell state each step read [T, B, H] (LSTM; else null)
     * @param hn saved: {@code W_hn·h + b_hn} of each step [T, B, H] (GRU; else null)
     */
    public static void forward(Cell cell, int T, int B, int H, float[] xp, int xpOff, float[] whh, int whhOff,
            float[] bhh, int bhhOff, float[] h0, int h0Off, float[] c0, int c0Off, int[] lengths, boolean reverse,
            float[] y, float[] acts, float[] hPrev, float[] cPrev, float[] hn) {
        int G = cell.gates, GH = G * H, BH = B * H;
        float[] h = new float[BH], c = cell == Cell.LSTM ? new float[BH] : null;
        System.arraycopy(h0, h0Off, h, 0, BH);
        if (c != null) System.arraycopy(c0, c0Off, c, 0, BH);
        float[] hp = new float[B * GH], tc = new float[H];
        KernelProvider kp = Kernels.DEFAULT;
        for (int s = 0; s < T; s++) {
            int t = reverse ? T - 1 - s : s;
            System.arraycopy(h, 0, hPrev, t * BH, BH);
            if (c != null) System.arraycopy(c, 0, cPrev, t * BH, BH);
            Gemm.sgemm(false, true, B, GH, H, 1f, h, 0, H, whh, whhOff, H, 0f, hp, 0, GH);
            for (int b = 0; b < B; b++) {
                if (lengths != null && t >= lengths[b]) continue;    // y and acts stay 0, the state is carried
                int yo = (t * B + b) * H, ao = (t * B + b) * GH, xo = xpOff + ao, po = b * GH, so = b * H;
                if (bhh != null) for (int j = 0; j < GH; j++) hp[po + j] += bhh[bhhOff + j];
                switch (cell) {
                    case RNN_TANH, RNN_RELU -> {
                        for (int j = 0; j < H; j++) hp[po + j] += xp[xo + j];
                        if (cell == Cell.RNN_TANH) kp.tanhInPlace(hp, po, H);
                        else for (int j = 0; j < H; j++) {
                            float z = hp[po + j];
                            hp[po + j] = z > 0 ? z : (z != z ? z : 0f);
                        }
                        System.arraycopy(hp, po, acts, ao, H);
                        System.arraycopy(hp, po, h, so, H);
                        System.arraycopy(hp, po, y, yo, H);
                    }
                    case LSTM -> {
                        for (int j = 0; j < GH; j++) hp[po + j] += xp[xo + j];
                        kp.sigmoidInPlace(hp, po, 2 * H);                  // i, f
                        kp.tanhInPlace(hp, po + 2 * H, H);                 // g
                        kp.sigmoidInPlace(hp, po + 3 * H, H);              // o
                        System.arraycopy(hp, po, acts, ao, GH);
                        for (int j = 0; j < H; j++) {
                            float cn = hp[po + H + j] * c[so + j] + hp[po + j] * hp[po + 2 * H + j];
                            c[so + j] = cn;
                            tc[j] = cn;
                        }
                        kp.tanhInPlace(tc, 0, H);
                        for (int j = 0; j < H; j++) {
                            float hv = hp[po + 3 * H + j] * tc[j];
                            h[so + j] = hv;
                            y[yo + j] = hv;
                        }
                    }
                    case GRU -> {
                        int no = (t * B + b) * H;
                        System.arraycopy(hp, po + 2 * H, hn, no, H);       // W_hn·h + b_hn, saved
                        for (int j = 0; j < 2 * H; j++) hp[po + j] += xp[xo + j];
                        kp.sigmoidInPlace(hp, po, 2 * H);                  // r, z
                        for (int j = 0; j < H; j++) hp[po + 2 * H + j] = xp[xo + 2 * H + j] + hp[po + j] * hn[no + j];
                        kp.tanhInPlace(hp, po + 2 * H, H);                 // n
                        System.arraycopy(hp, po, acts, ao, GH);
                        for (int j = 0; j < H; j++) {
                            float z = hp[po + H + j], n = hp[po + 2 * H + j];
                            float hv = (1f - z) * n + z * h[so + j];
                            h[so + j] = hv;
                            y[yo + j] = hv;
                        }
                    }
                }
            }
        }
        System.arraycopy(h, 0, y, T * BH, BH);
        if (c != null) System.arraycopy(c, 0, y, (T + 1) * BH, BH);
    }

    /**
     * The backward pass of {@link #forward}: from the gradient {@code gy} of its output block (same
     * layout as {@code y}), the gradients of the input projection, the initial states and the hidden
     * weights and bias. Outputs not wanted may be null ({@code dc0} must be null unless LSTM).
     *
     * @param dxp [T, B, G·H], written (never null: the hidden-weight gradient is computed from it)
     * @param dwhh [G·H, H] or null; {@code dbhh} [G·H] or null; {@code dh0}, {@code dc0} [B, H] or null
     */
    public static void backward(Cell cell, int T, int B, int H, float[] gy, int gyOff, float[] whh, int whhOff,
            int[] lengths, boolean reverse, float[] acts, float[] hPrev, float[] cPrev, float[] hn, float[] dxp,
            float[] dh0, float[] dc0, float[] dwhh, float[] dbhh) {
        int G = cell.gates, GH = G * H, BH = B * H;
        float[] dh = new float[BH], dc = cell == Cell.LSTM ? new float[BH] : null, next = new float[BH];
        System.arraycopy(gy, gyOff + T * BH, dh, 0, BH);
        if (dc != null) System.arraycopy(gy, gyOff + (T + 1) * BH, dc, 0, BH);
        // the gradient of the hidden projection h·W_hhᵀ + b_hh: the gates' own for RNN and LSTM, for GRU
        // its n block is scaled by r
        float[] dhp = cell == Cell.GRU ? new float[T * B * GH] : dxp;
        float[] tcs = new float[H];
        KernelProvider kp = Kernels.DEFAULT;
        for (int s = T - 1; s >= 0; s--) {
            int t = reverse ? T - 1 - s : s;
            for (int b = 0; b < B; b++) {
                int so = b * H, ao = (t * B + b) * GH, yo = gyOff + (t * B + b) * H, ho = (t * B + b) * H;
                if (lengths != null && t >= lengths[b]) {
                    System.arraycopy(dh, so, next, so, H);            // carried state: gradient passes through
                    continue;
                }
                switch (cell) {
                    case RNN_TANH, RNN_RELU -> {
                        for (int j = 0; j < H; j++) {
                            float d = dh[so + j] + gy[yo + j], v = acts[ao + j];
                            dxp[ao + j] = cell == Cell.RNN_TANH ? d * (1f - v * v) : (v > 0 ? d : 0f);
                            next[so + j] = 0f;
                        }
                    }
                    case LSTM -> {
                        for (int j = 0; j < H; j++) tcs[j] = acts[ao + H + j] * cPrev[ho + j] + acts[ao + j] * acts[ao + 2 * H + j];
                        kp.tanhInPlace(tcs, 0, H);                         // tanh(c'), as the forward pass had it
                        for (int j = 0; j < H; j++) {
                            float d = dh[so + j] + gy[yo + j];
                            float i = acts[ao + j], f = acts[ao + H + j], g = acts[ao + 2 * H + j], o = acts[ao + 3 * H + j];
                            float cp = cPrev[ho + j], tc = tcs[j];
                            float dct = dc[so + j] + d * o * (1f - tc * tc);
                            dxp[ao + j] = dct * g * i * (1f - i);
                            dxp[ao + H + j] = dct * cp * f * (1f - f);
                            dxp[ao + 2 * H + j] = dct * i * (1f - g * g);
                            dxp[ao + 3 * H + j] = d * tc * o * (1f - o);
                            dc[so + j] = dct * f;
                            next[so + j] = 0f;
                        }
                    }
                    case GRU -> {
                        for (int j = 0; j < H; j++) {
                            float d = dh[so + j] + gy[yo + j];
                            float r = acts[ao + j], z = acts[ao + H + j], n = acts[ao + 2 * H + j];
                            float dn = d * (1f - z) * (1f - n * n);
                            float dz = d * (hPrev[ho + j] - n) * z * (1f - z);
                            float dr = dn * hn[ho + j] * r * (1f - r);
                            dxp[ao + j] = dr;
                            dxp[ao + H + j] = dz;
                            dxp[ao + 2 * H + j] = dn;
                            dhp[ao + j] = dr;
                            dhp[ao + H + j] = dz;
                            dhp[ao + 2 * H + j] = dn * r;
                            next[so + j] = d * z;
                        }
                    }
                }
            }
            // dh_prev = direct part + dHp_t · W_hh; carried rows have dHp_t = 0
            Gemm.sgemm(false, false, B, H, GH, 1f, dhp, t * B * GH, GH, whh, whhOff, H, 1f, next, 0, H);
            float[] swap = dh;
            dh = next;
            next = swap;
        }
        if (dh0 != null) System.arraycopy(dh, 0, dh0, 0, BH);
        if (dc0 != null) System.arraycopy(dc, 0, dc0, 0, BH);
        int rows = T * B;
        if (dwhh != null) Gemm.sgemm(true, false, GH, H, rows, 1f, dhp, 0, GH, hPrev, 0, H, 0f, dwhh, 0, H);
        if (dbhh != null) {
            double[] acc = new double[GH];
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < GH; j++) acc[j] += dhp[r * GH + j];
            for (int j = 0; j < GH; j++) dbhh[j] = (float) acc[j];
        }
    }
}
