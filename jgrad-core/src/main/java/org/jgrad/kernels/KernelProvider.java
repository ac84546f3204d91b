package org.jgrad.kernels;

/**
 * The loops whose fast form needs {@code jdk.incubator.vector}. Everything else in this package is
 * plain Java and calls through here, so that a JVM started without {@code --add-modules
 * jdk.incubator.vector} still runs jgrad: it gets {@link ScalarKernels} instead of
 * {@code VectorKernels} (see {@link Kernels} for the choice).
 */
interface KernelProvider {

    /** A short name for logs and benchmarks, e.g. {@code "vector(16 x float)"}. */
    String name();

    /** Rows of the GEMM micro-tile: the height of a packed A panel. */
    int gemmMr();

    /** Columns of the GEMM micro-tile: the width of a packed B panel. */
    int gemmNr();

    /**
     * Whether {@link Gemm} may compute a few-rows x·Wᵀ as (W·xᵀ)ᵀ, which reads W in place but makes
     * the few rows (a batch) the micro-kernel's columns. Either way gives the same bits.
     */
    default boolean gemmSwapFewRows() {
        return true;
    }

    /**
     * Whether {@link #gemmBlock} reads a partial B panel past its last column, so that {@link Gemm}
     * must zero that padding when it packs (a full-width vector kernel does; a kernel that stops at
     * the edge is spared the writes, which for a narrow product are a large share of the packing).
     */
    default boolean gemmReadsBPadding() {
        return true;
    }

    /**
     * C[0..mc)[0..nc) = beta·C + alpha·Ap·Bp over one cache block. {@code ap} holds ⌈mc/MR⌉ panels of
     * kc×MR (element (i, p) of panel q at {@code q·MR·kc + p·MR + i}), {@code bp} holds ⌈nc/NR⌉ panels of
     * kc×NR, both zero-padded to whole panels. C is row-major from {@code cOff} with row stride
     * {@code ldc}. With beta = 0, C is written without being read (so NaN in C does not survive).
     *
     * <p>When {@code a} is not null, A is instead read in place for its whole MR-row panels: element
     * (i, p) at {@code aOff + i·lda + p} (row-major); only a last partial panel, if mc is not a multiple
     * of MR, is packed, at the start of {@code ap}.
     */
    default void gemmBlock(int mc, int nc, int kc, float alpha, float[] a, int aOff, int lda, float[] ap, float[] bp,
            float beta, float[] c, int cOff, int ldc) {
        gemmBlock(mc, nc, kc, alpha, a, aOff, lda, ap, 0, bp, 0, beta, c, cOff, ldc);
    }

    /**
     * {@link #gemmBlock(int, int, int, float, float[], int, int, float[], float[], float, float[], int, int)}
     * with the packed panels starting at {@code apOff} in {@code ap} and {@code bpOff} in {@code bp}, so
     * that the threads of a split GEMM can all read one operand packed once, for all its blocks.
     */
    default void gemmBlock(int mc, int nc, int kc, float alpha, float[] a, int aOff, int lda, float[] ap, int apOff,
            float[] bp, int bpOff, float beta, float[] c, int cOff, int ldc) {
        gemmBlock(mc, nc, kc, alpha, a, aOff, lda, ap, apOff, bp, bpOff, 0, beta, c, cOff, ldc);
    }

    /**
     * {@link #gemmBlock(int, int, int, float, float[], int, int, float[], int, float[], int, float, float[], int, int)},
     * and when {@code ldb} is not 0, B read in place instead of from packed panels: element (p, j) of the
     * block at {@code bpOff + p·ldb + j} (row-major, row stride ldb), for an nc that is a whole number of
     * NR-wide panels. A product with few rows uses each B panel for only a few A panels, so packing B
     * (a copy of all of it) would be a large share of the work.
     */
    void gemmBlock(int mc, int nc, int kc, float alpha, float[] a, int aOff, int lda, float[] ap, int apOff,
            float[] bp, int bpOff, int ldb, float beta, float[] c, int cOff, int ldc);

    /**
     * dst[d + p*stride + r] = src[s + r*ld + p] for r &lt; rows, p &lt; len: the transposing copy that
     * packing non-transposed A and transposed B for the GEMM both need.
     */
    void transposeInto(float[] src, int s, int ld, int rows, int len, float[] dst, int d, int stride);

    /** out[o+j] = a[pa+j] op b[pb+j] for j &lt; len; op is ADD, SUB, MUL or DIV. */
    void binary(Elementwise.Binary op, float[] a, int pa, float[] b, int pb, float[] out, int o, int len);

    /**
     * out[o+j] = a[pa+j] op s for j &lt; len, or s op a[pa+j] when {@code swapped}; op is ADD, SUB, MUL
     * or DIV.
     */
    void binaryScalar(Elementwise.Binary op, float[] a, int pa, float s, float[] out, int o, int len,
            boolean swapped);

    /** out[o+j] = max(x[p+j], 0) for j &lt; len, keeping NaN. */
    void relu(float[] x, int p, float[] out, int o, int len);

    /** dst[d+j] = g[pg+j] · (y[py+j] &gt; 0 ? 1 : 0): ReLU's backward from its output, NaN·0 = NaN. */
    void reluBackward(float[] g, int pg, float[] y, int py, float[] dst, int d, int len);

    /** out[o+j] = {@code v < 0 ? 0 : (v > 6 ? 6 : v)} for v = x[p+j] (ReLU6): NaN and −0 pass unchanged. */
    void relu6(float[] x, int p, float[] out, int o, int len);

    /** dst[d+j] = g[pg+j] · (0 &lt; x[px+j] &lt; 6 ? 1 : 0): ReLU6's backward from its input, NaN·0 = NaN. */
    void relu6Backward(float[] g, int pg, float[] x, int px, float[] dst, int d, int len);

    /**
     * One output row of 2×2 max pooling: for every even k &lt; len, the window x[p + k + {0, 1, w, w+1}]
     * gives best[k], the first of the four (in that order) that equals their maximum, or the first
     * NaN (PyTorch's choice, ties to the first), and which[k] its offset 0, 1, w or w+1 as a float.
     * Odd entries of best and which are scratch; both arrays hold at least len rounded up to a
     * multiple of 64. Reads x[p .. p + w + len] only.
     */
    void maxPool2x2Row(float[] x, int p, int w, int len, float[] best, float[] which);

    /**
     * 2×2, stride-2 max pooling of one [h, w] plane ({@link Pooling#maxPool2x2Plane}): by default one
     * {@link #maxPool2x2Row} per output row, whose even entries are kept.
     */
    default void maxPool2x2Plane(float[] x, int xOff, int h, int w, int oh, int ow, float[] out, int o, float[] which,
            float[] best, float[] bestWhich) {
        for (int i = 0; i < oh; i++) {
            // The last window's right column is 2·ow − 1; reading one further (k + 1 at odd k) stays
            // inside the row when 2·ow < w, otherwise the kernel's masked tail stops at len.
            int len = 2 * ow - 1, r = o + i * ow;
            maxPool2x2Row(x, xOff + 2 * i * w, w, len, best, bestWhich);
            for (int j = 0; j < ow; j++) {
                out[r + j] = best[2 * j];
                which[r + j] = bestWhich[2 * j];
            }
        }
    }

    /**
     * Whether {@link #maxPool2x2Windows} and {@link #maxPool2x2Scatter} (gathers across planes) are this
     * provider's fast form of 2×2 max pooling, rather than {@link #maxPool2x2Plane} plane by plane.
     */
    default boolean maxPool2x2Gathers() {
        return false;
    }

    /**
     * 2×2 max pooling of {@code count} windows numbered through planes: window k's top-left corner is
     * {@code x[xo + start[k]]}, its other elements 1, w and w + 1 further. out[o + k] gets the window's
     * maximum as {@link #maxPool2x2Row} defines it (the first equal to the maximum, or the first NaN) and
     * which[o + k] its offset 0, 1, w or w + 1 as a float. {@code start} holds {@code count} rounded up to
     * a whole vector (the entries past count are read, not used).
     */
    default void maxPool2x2Windows(float[] x, int xo, int[] start, int count, int w, float[] out, int o,
            float[] which) {
        for (int k = 0; k < count; k++) windowMax(x, xo + start[k], w, out, which, o + k);
    }

    /**
     * One 2×2 window at x[q] (rows w apart): its first maximum (a NaN wins) into out[k] and that
     * element's offset 0, 1, w or w + 1 into which[k].
     */
    private static void windowMax(float[] x, int q, int w, float[] out, float[] which, int k) {
        float best = x[q];
        int at = 0;
        for (int e = 1; e < 4; e++) {
            int d = e == 1 ? 1 : e == 2 ? w : w + 1;
            float v = x[q + d];
            if (v > best || (v != v && best == best)) {
                best = v;
                at = d;
            }
        }
        out[k] = best;
        which[k] = at;
    }

    /**
     * The input gradient of {@link #maxPool2x2Windows}: {@code dx[xo + start[k] + which[o + k]] = g[go + k] + 0}
     * for k &lt; count (the windows do not overlap, and dx holds zeros there on entry; adding +0 turns a −0
     * gradient into the +0 that adding it to zero gives).
     */
    default void maxPool2x2Scatter(float[] g, int go, float[] which, int o, int[] start, int count, float[] dx,
            int xo) {
        for (int k = 0; k < count; k++) dx[xo + start[k] + (int) which[o + k]] = g[go + k] + 0f;
    }

    /**
     * {@link #maxPool2x2Scatter} for a pool whose input is a ReLU's output, with the ReLU's backward in
     * the same pass: {@code dx[xo + start[k] + which[o + k]] = (g[go + k] + 0) · [kept[o + k] > 0]}, where
     * kept holds the pooled values. The chosen element is the window's maximum, so it is positive
     * exactly when the pooled value is, and the other elements get 0 either way: the same values (NaN · 0
     * staying NaN, the signs of zeros included) as the scatter followed by {@code g · [y > 0]} over the
     * whole input, without that second pass over four times as many elements.
     */
    default void maxPool2x2ScatterRelu(float[] g, int go, float[] which, float[] kept, int o, int[] start, int count,
            float[] dx, int xo) {
        for (int k = 0; k < count; k++)
            dx[xo + start[k] + (int) which[o + k]] = (g[go + k] + 0f) * (kept[o + k] > 0f ? 1f : 0f);
    }

    /**
     * Whether {@link #maxPool2x2RowPairs} is this provider's fast form of 2×2 max pooling for outputs
     * {@code ow} wide (ahead of {@link #maxPool2x2Gathers}).
     */
    default boolean maxPool2x2ByRowPairs(int ow) {
        return false;
    }

    /**
     * 2×2 max pooling of {@code rows} pairs of input rows: pair r's top row starts at {@code x[xo + 2·r·w]},
     * its bottom row w further, and its windows j &lt; ow (2·ow ≤ w) give out[o + r·ow + j] and
     * which[o + r·ow + j] as {@link #maxPool2x2Windows} defines them (first maximum, a NaN wins; the
     * offset 0, 1, w or w + 1 as a float). The planes of a pool whose input height is even are one run
     * of row pairs.
     */
    default void maxPool2x2RowPairs(float[] x, int xo, int rows, int w, int ow, float[] out, int o, float[] which) {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < ow; j++) windowMax(x, xo + 2 * r * w + 2 * j, w, out, which, o + r * ow + j);
    }

    /** dst[d + r·ds + j] = src[s + r·ss + j] for r &lt; rows, j &lt; len: a block of short rows (im2col). */
    void copyBlock(float[] src, int s, int ss, float[] dst, int d, int ds, int rows, int len);

    /**
     * dst[d + r·ds + j] = src[s + r·ss + j] + bias for r &lt; rows, j &lt; len, then {@code max(·, 0)} when relu
     * (the same bits as {@link #binaryScalar} ADD followed by {@link #relu}): a convolution's result rows
     * copied out of its grid with the bias and the ReLU in one pass.
     */
    default void biasReluBlock(float[] src, int s, int ss, float bias, boolean relu, float[] dst, int d, int ds, int rows,
            int len) {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < len; j++) {
                float v = src[s + r * ss + j] + bias;
                dst[d + r * ds + j] = relu ? ScalarKernels.relu(v) : v;
            }
    }

    /** dst[d + r·ds + j] += src[s + r·ss + j] for r &lt; rows, j &lt; len (col2im); rows must not overlap. */
    void addBlock(float[] src, int s, int ss, float[] dst, int d, int ds, int rows, int len);

    /**
     * dst[d+j] = keep[k+j] ? src[s+j] : 0 for j &lt; len: one im2col row whose padding entries are
     * scattered through it (see {@link ShiftMasks}). Entries of src that are not kept are not read,
     * so they may lie outside the array; keep must hold {@link ShiftMasks#SLACK} entries past k + len.
     */
    void copyRowMasked(float[] src, int s, boolean[] keep, int k, float[] dst, int d, int len);

    /**
     * dst[d+j] += src[s+j] for j &lt; len where keep[k+j]: col2im of such a row. Entries of dst
     * outside [dLo, dHi) are neither read nor written (another thread may own them); entries inside
     * it that are not kept may be rewritten with their own value. keep as above.
     */
    void addRowMasked(float[] src, int s, boolean[] keep, int k, float[] dst, int d, int len, int dLo, int dHi);

    /** out[o+j] = x[p+j]·a + b for j &lt; len (batch norm's output: separate multiply and add, no FMA). */
    void scaleShift(float[] x, int p, float a, float b, float[] out, int o, int len);

    /**
     * out[o+j] = k·((g[pg+j] − mdy) − ((x[px+j] − mu)·is)·mdyx) for j &lt; len, rounded step by step
     * in that order (no FMA): batch norm's input gradient.
     */
    void batchNormBackward(float[] g, int pg, float[] x, int px, float mu, float is, float k, float mdy, float mdyx,
            float[] out, int o, int len);

    /**
     * acc[j] += (x[p+j] − mu[j])² for j &lt; len, subtract, multiply and add rounded step by step: batch
     * norm's variance over small planes, a per-position accumulator over the images ({@link BatchNormRows}).
     * Plain loops here (C2 does not vectorize arrays indexed by different expressions); the vector
     * provider overrides the four batch-norm row kernels.
     */
    default void addSquaredDeviations(float[] x, int p, float[] mu, float[] acc, int len) {
        for (int j = 0; j < len; j++) {
            float t = x[p + j] - mu[j];
            acc[j] += t * t;
        }
    }

    /** accG[j] += g[pg+j] and accGx[j] += g[pg+j]·(x[px+j] − mu[j]) for j &lt; len, rounded step by step. */
    default void addGradientSums(float[] g, int pg, float[] x, int px, float[] mu, float[] accG, float[] accGx, int len) {
        for (int j = 0; j < len; j++) {
            float gv = g[pg + j];
            accG[j] += gv;
            accGx[j] += gv * (x[px + j] - mu[j]);
        }
    }

    /** out[o+j] = x[p+j]·a[j] + b[j] for j &lt; len (separate multiply and add, no FMA). */
    default void scaleShiftRows(float[] x, int p, float[] a, float[] b, float[] out, int o, int len) {
        for (int j = 0; j < len; j++) out[o + j] = x[p + j] * a[j] + b[j];
    }

    /**
     * out[o+j] = k[j]·((g[pg+j] − mdy[j]) − ((x[px+j] − mu[j])·is[j])·mdyx[j]) for j &lt; len, rounded step by
     * step in that order: {@link #batchNormBackward} with per-position constants.
     */
    default void batchNormBackwardRows(float[] g, int pg, float[] x, int px, float[] mu, float[] is, float[] k, float[] mdy,
            float[] mdyx, float[] out, int o, int len) {
        for (int j = 0; j < len; j++) {
            float xhat = (x[px + j] - mu[j]) * is[j];
            out[o + j] = k[j] * (g[pg + j] - mdy[j] - xhat * mdyx[j]);
        }
    }

    /** Σ a[p+j] − mu over j &lt; len when {@code square} is false, Σ (a[p+j] − mu)² when true (float lanes, summed in double). */
    double sumCentered(float[] a, int p, int len, float mu, boolean square);

    /** Σ a[pa+j] · (b[pb+j] − mu) over j &lt; len (float lanes, summed in double). */
    double dotCentered(float[] a, int pa, float[] b, int pb, int len, float mu);

    /**
     * Σ exp(x[p+j] − shift) over j &lt; len, each exponential in float (a softmax's denominator; the
     * vector kernel uses the Vector API's exp), the lanes summed in double.
     */
    double sumExpShifted(float[] x, int p, int len, float shift);

    /** out[o+j] = scale · exp(x[p+j] − shift) for j &lt; len, the exponential in float (a softmax row). */
    void expShiftedScaled(float[] x, int p, float shift, float scale, float[] out, int o, int len);

    /**
     * a[p+j] = 1/(1 + exp(−a[p+j])) in place, in float (a recurrent cell's gates; the vector kernel uses
     * the Vector API's exp, within a few ulp of the double-precision formula).
     */
    void sigmoidInPlace(float[] a, int p, int len);

    /** a[p+j] = tanh(a[p+j]) in place, in float (the vector kernel uses the Vector API's tanh). */
    void tanhInPlace(float[] a, int p, int len);

    /** Columns of a {@link #convTile} (output positions of one tile); a multiple of 16. */
    int convTileWidth();

    /**
     * One tile of a stride-1 convolution computed on the padded grid ({@link DirectConv}): for
     * r &lt; 6 and j &lt; {@link #convTileWidth()},
     * {@code out[oo + r·ldo + j] = Σ_{t<taps} w[wo + 6t + r] · x[off[t] + q0 + j]}. {@code w} holds the
     * weights of six output channels interleaved by tap; {@code off[t]} is where tap t's shifted copy of
     * the input plane starts.
     */
    void convTile(int taps, int[] off, float[] x, int q0, float[] w, int wo, float[] out, int oo, int ldo);

    /**
     * Channel planes of a stride-1 convolution's input gradient as the overlap-add of their column
     * gradient ({@link ConvInputByColumns}): for plane e &lt; {@code planes}, ih &lt; h and iw &lt; w,
     * {@code dst[d + e·ds + ih·w + iw] = Σ col[co + e·cs + (ki·kW + kj)·ld + oh·outW + ow]} over the taps
     * (ki, kj) whose output position {@code oh = ih + pT − ki·dH}, {@code ow = iw + pL − kj·dW} lies in
     * [0, outH) × [0, outW), summed in an order of the provider's choosing (0 where there is none). May
     * read whole vectors reaching {@code (kW−1)·dW} floats before and {@code w + pL} plus a vector past the
     * positions a column row uses (their values are not used, so they may hold anything); writes only
     * the planes.
     */
    void overlapAddPlanes(float[] col, int co, int cs, int planes, int ld, int kH, int kW, int dH, int dW, int pT, int pL,
            int outH, int outW, float[] dst, int d, int ds, int h, int w);

    /**
     * Floats per partial sum of {@link #convWeightLanes}, or 0 when the by-position weight gradient should
     * go through {@link #convWeightTile} instead (the plain-Java provider, whose tile keeps its own sums).
     */
    default int convWeightLaneWidth() {
        return 0;
    }

    /**
     * Six gradient rows × two taps of a stride-1 convolution's weight gradient over one image, kept as
     * lane-wise partial sums: for r &lt; 6, j &lt; 2 and lane e &lt; lanes ({@link #convWeightLaneWidth}, or
     * 16 where that is 0), {@code acc[ao + (2r + j)·lanes + e] += Σ_{q ≡ e (mod lanes), q < len} g[go + r·ldg + q]
     * · x[xj + q]}, with {@code xj} = xa for j = 0 and xb for j = 1, as fused multiply-adds in q order;
     * {@code len} is a multiple of 16. One image at a time keeps its gradient rows and input plane in L1
     * while every tap pair runs over them (over a group of images they came from L2 once per pair).
     */
    default void convWeightLanes(int len, float[] g, int go, int ldg, int xa, int xb, float[] x, float[] acc, int ao) {
        int lanes = convWeightLaneWidth() > 0 ? convWeightLaneWidth() : 16;
        for (int r = 0; r < 6; r++)
            for (int j = 0; j < 2; j++) {
                int a = ao + (2 * r + j) * lanes, gr = go + r * ldg, xr = j == 0 ? xa : xb;
                for (int q = 0; q < len; q++) acc[a + q % lanes] = Math.fma(g[gr + q], x[xr + q], acc[a + q % lanes]);
            }
    }

    /**
     * One tile of a stride-1 convolution's weight gradient over a group of images ({@link DirectConv}):
     * for r &lt; 6 and j &lt; 4, {@code dw[dwo + r·lddw + j] += Σ_{i<imgs} Σ_{q<len} g[go + i·gs + r·ldg + q] ·
     * x[xo + i·xs + off[t0 + j] + q]}; {@code len} is a multiple of 16.
     */
    void convWeightTile(int len, int imgs, float[] g, int go, int gs, int ldg, int[] off, int t0, float[] x, int xo,
            int xs, float[] dw, int dwo, int lddw);

    /**
     * The channel block of the by-channel passes: the vector length (16 for the scalar provider, so that
     * it makes the same by-channel choices as AVX-512). Output channels are padded to whole blocks.
     */
    int convChannelBlock();

    /**
     * Whether a stride-1 layer with {@code o} output channels may run on the padded grid
     * ({@link DirectConv}) when its shape qualifies, or should take im2col + GEMM. True for the vector
     * provider; the scalar one refuses channel counts whose by-channel loops would be one block long.
     */
    default boolean convGridPays(int o) {
        return true;
    }

    /**
     * How many of {@code opad} padded output channels (a multiple of {@code block}) one by-channel
     * kernel call covers: one block of vector lanes for the vector provider; all of them for the
     * scalar one, whose loops run along the channels and need them long.
     */
    default int convChannelSpan(int opad, int block) {
        return block;
    }

    /**
     * A stride-1 convolution's weight gradient with the output channels across the lanes
     * ({@link DirectConv}): for j &lt; 12 taps and c &lt; {@code width} channels (its {@link #convChannelSpan}),
     * {@code dw[dwo + j·lddw + c] += Σ_{p<np} x[pos[p] + off[t0 + j]] · g[go + p·ldg + c]}, where
     * {@code pos[p]} is where output position p's window starts and g is the output gradient
     * transposed to [position][channel]. Only real output positions are visited, and no lanes are
     * reduced.
     */
    void convWeightByChannel(int width, int np, int[] pos, int[] off, int t0, float[] x, float[] g, int go, int ldg, float[] dw,
            int dwo, int lddw);

    /**
     * Whether {@link DirectConv} should run a stride-1 layer with kernel rows five taps wide (LeNet-5's
     * 5×5 kernels) by channel through {@link #convWeightFiveTapRows} and {@link #convByChannelFiveTapRows}
     * instead of {@link #convWeightByChannel} and {@link #convByChannelTile}: the vector provider's faster
     * form; the plain-Java one keeps its own loops along the channels.
     */
    default boolean convFiveTapRowsPay() {
        return false;
    }

    /**
     * {@link #convWeightByChannel} for two kernel rows of five neighbouring taps (at {@code offA + kj} and
     * {@code offB + kj}, kj &lt; 5), over output rows of {@code len} neighbouring positions: for j &lt; 10
     * and c &lt; {@code width}, {@code dw[dwo + j·lddw + c] += Σ_{r<rows} Σ_{q<len} x[rowStart[r0 + r] + q + o_j] ·
     * g[go + (r·len + q)·ldg + c]}, with {@code o_j = offA + j} for j &lt; 5 and {@code offB + j − 5} after,
     * each sum as fused multiply-adds in position order (the same bits as {@link #convWeightByChannel} over
     * those positions). Position q + 1 reads its taps one further along the input row than position q, so
     * a pair of positions needs six input values per kernel row, not ten.
     */
    default void convWeightFiveTapRows(int width, int rows, int[] rowStart, int r0, int len, int offA, int offB, float[] x,
            float[] g, int go, int ldg, float[] dw, int dwo, int lddw) {
        for (int j = 0; j < 10; j++) {
            int o = j < 5 ? offA + j : offB + j - 5;
            for (int c = 0; c < width; c++) {
                float s = 0f;
                for (int r = 0; r < rows; r++)
                    for (int q = 0; q < len; q++)
                        s = Math.fma(x[rowStart[r0 + r] + q + o], g[go + (r * len + q) * ldg + c], s);
                dw[dwo + j * lddw + c] += s;
            }
        }
    }

    /**
     * Ten neighbouring positions of one output row × one vector of output channels of a stride-1
     * convolution whose kernel rows are five neighbouring taps: for p &lt; 10 and c &lt; {@link #convChannelBlock()},
     * {@code out[oo + p·ldo + c] = Σ_{r<rows} Σ_{kj<5} x[b + rowOff[r] + p + kj] · w[wo + (5r + kj)·ldw + c]},
     * each as fused multiply-adds in tap order (the same bits as {@link #convByChannelTile}). Neighbouring
     * positions share input values: fourteen per kernel row serve fifty multiply-adds, where that tile
     * broadcasts one value per multiply-add.
     */
    default void convByChannelFiveTapRows(int rows, int[] rowOff, float[] x, int b, float[] w, int wo, int ldw, float[] out,
            int oo, int ldo) {
        int width = convChannelBlock();
        for (int p = 0; p < 10; p++)
            for (int c = 0; c < width; c++) {
                float s = 0f;
                for (int r = 0; r < rows; r++)
                    for (int kj = 0; kj < 5; kj++)
                        s = Math.fma(x[b + rowOff[r] + p + kj], w[wo + (5 * r + kj) * ldw + c], s);
                out[oo + p * ldo + c] = s;
            }
    }

    /**
     * One tile of a convolution with the output channels across the lanes ({@link DirectConv}): for
     * r &lt; 12/vectors output positions and c &lt; {@code width} channels (its {@link #convChannelSpan} of
     * vectors·{@link #convChannelBlock()}),
     * {@code out[oo + r·ldo + c] = Σ_{t<taps} x[pos[p0 + r] + off[t]] · w[wo + t·ldw + c]}, where
     * {@code pos} holds where each output position's window starts and w is the weight transposed to
     * [tap][channel]. {@code vectors} is 2 (6 positions × two vectors of channels) or 1 (12 positions ×
     * one vector, for layers whose channels fill one vector but not two, like LeNet's 16).
     */
    void convByChannelTile(int vectors, int width, int taps, int[] off, float[] x, int[] pos, int p0, float[] w, int wo, int ldw,
            float[] out, int oo, int ldo);

    /**
     * Whether the by-channel passes of many-channel layers read a channels-last copy of the input
     * ({@link #convChannelsLastTile}, {@link #convWeightChannelsLast}); a provider that says no need not
     * implement those two (they may throw {@link UnsupportedOperationException}).
     */
    default boolean convChannelsLast() {
        return true;
    }

    /**
     * {@link #convByChannelTile} with two vectors of channels over a channels-last input: for r &lt; 6
     * output positions and c &lt; {@code width} channels (its {@link #convChannelSpan} of
     * 2·{@link #convChannelBlock()}),
     * {@code out[oo + r·ldo + c] = Σ_{s<taps} Σ_{i<run} x[pos[p0 + r] + off[s] + i] · w[wo + (s·run + i)·width + c]}.
     * Each kernel tap reads {@code run} input channels that lie side by side, so that the inner loop's
     * loads are a fixed offset plus its counter (bounds checked once per loop, not once per load), and
     * the weight is a panel of {@code width} channels per (tap, input channel) row.
     */
    void convChannelsLastTile(int width, int taps, int run, int[] off, float[] x, int[] pos, int p0, float[] w, int wo,
            float[] out, int oo, int ldo);

    /**
     * A weight-gradient tile over a channels-last input: for r &lt; 6 input channels and c &lt;
     * {@code width} output channels (its {@link #convChannelSpan} of 2·{@link #convChannelBlock()}),
     * {@code dw[dwo + r·lddw + c] += Σ_{p<np} x[pos[p] + f + r] · g[go + p·width + c]}, where
     * {@code pos[p] + f} is where output position p reads its window's first input channel at one kernel
     * tap, and g is a panel of the output gradient, [position][width channels]. The six inputs of a
     * position lie side by side.
     */
    void convWeightChannelsLast(int width, int np, int[] pos, int f, float[] x, float[] g, int go, float[] dw, int dwo,
            int lddw);

    /**
     * One plane of a depthwise convolution on its phase grid ({@link DepthwiseConv}):
     * {@code out[j] = Σ_{t<taps} w[wo + t] · x[off[t] + j]} for j &lt; len.
     */
    void depthwiseTaps(int taps, int[] off, float[] x, float[] w, int wo, float[] out, int len);

    /**
     * The input gradient of {@link #depthwiseTaps}: {@code dx[off[t] + j] += w[wo + t] · g[j]} for
     * t &lt; taps, j &lt; len (the ranges of different taps overlap).
     */
    void depthwiseScatter(int taps, int[] off, float[] g, float[] w, int wo, float[] dx, int len);

    /**
     * The weight gradient of {@link #depthwiseTaps}: {@code acc[ao + t] += Σ_{j<len} g[j] · x[off[t] + j]}
     * for t &lt; taps (float lanes, each tap's sum added in double).
     */
    void depthwiseDots(int taps, int[] off, float[] x, float[] g, int len, double[] acc, int ao);

    // ------------------------------------------------------------------ pairwise distances (k-NN)

    /**
     * L1 distances from rows [q0, q1) of {@code q} to rows [t0, t1) of {@code t} (row-major, d values per
     * row), into {@code out[(i − q0)·ldo + (j − t0)]}, each a float sum of {@code |q − t|}.
     */
    void l1Distances(float[] q, int q0, int q1, float[] t, int t0, int t1, int d, float[] out, int ldo);
}
