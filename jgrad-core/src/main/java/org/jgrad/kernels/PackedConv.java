package org.jgrad.kernels;

/**
 * An ungrouped convolution whose weight was laid out once, at construction, in the GEMM
 * micro-kernel's packed panels, for forwards that run again and again with the same weight
 * (inference). The plain path ({@link ConvPlan}) repacks the whole weight in every call, which at
 * batch 1 is most of the work: a ResNet-18 layer on a 2×2 or 1×1 map multiplies each weight by
 * four or one input column, so packing it costs as much as using it.
 *
 * <p>Two layouts, by how many output pixels an image has (l):
 * <ul>
 *   <li>l ≥ NR (the micro-tile's width): out[O, l] = W·col as {@link Gemm} would compute it, W packed
 *       as the A panels, the image's column matrix packed as B (row copies);</li>
 *   <li>fewer pixels: outᵀ[l, O] = colᵀ·Wᵀ, Wᵀ packed as the B panels and the few pixels as the
 *       rows of one or two A panels, so that the weight streams through the wide vector loads
 *       instead of the A side's broadcasts and no lane is wasted on missing pixels; the l×O result
 *       is transposed into the NCHW output.</li>
 * </ul>
 * Every call runs on the calling thread: at these sizes a hand-off to the pool costs more than the
 * work, and a service runs several requests side by side instead. The object is immutable after
 * construction, and its buffers are the calling thread's {@link Scratch}, so one instance serves any
 * number of threads at once.
 */
public final class PackedConv {
    /**
     * Column-matrix floats of one image up to which the packed form applies (4 MiB): beyond that
     * (large images) the column matrix leaves the caches and the plain path, which splits the work
     * across the pool and chunks it, is the better choice.
     */
    static final int MAX_COL_FLOATS = 1 << 20;

    private final KernelProvider kp;
    private final Im2col.Geometry geo;
    private final int o, k, l, kc, mr, nr;
    private final boolean fewPixels, direct;
    /** One array per k-slice: W's A panels, or Wᵀ's B panels when {@link #fewPixels}. */
    private final float[][] packed;
    private final float[] bias;

    /** Whether the packed form applies: one group, and one image's column matrix of at most {@link #MAX_COL_FLOATS}. */
    public static boolean applies(Im2col.Geometry geo, int groups) {
        return groups == 1 && (long) geo.colRows() * geo.colCols() <= MAX_COL_FLOATS;
    }

    /**
     * Packs {@code o} filters of {@code geo}'s taps (weight [o, C·kH·kW] row-major from {@code wOff})
     * and copies the bias ({@code o} floats from {@code bOff}, or null).
     */
    public PackedConv(Im2col.Geometry geo, int o, float[] w, int wOff, float[] b, int bOff) {
        this(Kernels.DEFAULT, geo, o, w, wOff, b, bOff);
    }

    /** On the given provider, so that tests can run both in one JVM. */
    PackedConv(KernelProvider kp, Im2col.Geometry geo, int o, float[] w, int wOff, float[] b, int bOff) {
        if (!applies(geo, 1))
            throw new IllegalArgumentException("PackedConv: a column matrix of " + ((long) geo.colRows() * geo.colCols())
                    + " floats is more than " + MAX_COL_FLOATS);
        if (o < 1) throw new IllegalArgumentException("PackedConv: need at least one output channel, got " + o);
        this.kp = kp;
        this.geo = geo;
        this.o = o;
        this.k = geo.colRows();
        this.l = geo.colCols();
        this.mr = kp.gemmMr();
        this.nr = kp.gemmNr();
        this.fewPixels = l < nr;
        this.direct = geo.kernelH() == 1 && geo.kernelW() == 1 && geo.strideH() == 1 && geo.strideW() == 1
                && geo.padTop() == 0 && geo.padLeft() == 0 && geo.outH() == geo.height() && geo.outW() == geo.width();
        // Even slices, as Gemm cuts them: k = 300 runs as 150 + 150, not 256 + 44.
        int slices = Math.max(1, ceilDiv(k, Gemm.KC));
        this.kc = Math.max(1, ceilDiv(k, slices));
        this.packed = new float[slices][];
        for (int s = 0; s < slices; s++) {
            int pc = s * kc, kb = Math.min(kc, k - pc);
            if (kb <= 0) {
                packed[s] = new float[0];
                continue;
            }
            if (fewPixels) {
                // op(B)(p, j) = W[j][p]: the stored filter rows become the panels' columns.
                packed[s] = new float[roundUp(o, nr) * kb];
                Gemm.packB(kp, true, w, wOff, k, pc, kb, 0, o, nr, packed[s]);
            } else {
                packed[s] = new float[roundUp(o, mr) * kb];
                Gemm.packA(kp, false, w, wOff, k, 0, o, pc, kb, mr, packed[s]);
            }
        }
        this.bias = b == null ? null : java.util.Arrays.copyOfRange(b, bOff, bOff + o);
    }

    /** The geometry it was packed for. */
    public Im2col.Geometry geometry() {
        return geo;
    }

    /** Output channels. */
    public int outChannels() {
        return o;
    }

    /**
     * The output [n, O, outH, outW] of n images [n, C, H, W] at x[xOff..] into out[outOff..], bias
     * added, then ReLU'd when {@code relu}.
     */
    public void forward(float[] x, int xOff, int n, float[] out, int outOff, boolean relu) {
        int img = geo.imageSize(), outImg = o * l;
        for (int i = 0; i < n; i++) image(x, xOff + i * img, out, outOff + i * outImg, relu);
    }

    private void image(float[] x, int xOff, float[] out, int outOff, boolean relu) {
        float[] col;
        int colOff;
        if (direct) {
            // A 1×1 stride-1 kernel reads the image itself as its column matrix.
            col = x;
            colOff = xOff;
        } else {
            col = Scratch.get(Scratch.COL, k * l);
            colOff = 0;
            if (Im2col.smallMapIm2col(geo)) Im2col.im2colImages(geo, x, xOff, 1, col, 0, l, 0, geo.channels());
            else Im2col.im2col(geo, x, xOff, col, 0, l);
        }
        // GEMM_A / GEMM_B are Gemm's slots; no Gemm call runs while they are in use here.
        if (fewPixels) {
            float[] t = Scratch.get(Scratch.OUT, l * o);
            float[] ap = Scratch.get(Scratch.GEMM_A, roundUp(l, mr) * kc);
            for (int s = 0, pc = 0; s < packed.length; s++, pc += kc) {
                int kb = Math.min(kc, k - pc);
                if (kb <= 0) break;
                // op(A)(i, p) = col[p][i]: pixel i's value at tap p.
                Gemm.packA(kp, true, col, colOff, l, 0, l, pc, kb, mr, ap);
                kp.gemmBlock(l, o, kb, 1f, null, 0, 0, ap, packed[s], s == 0 ? 0f : 1f, t, 0, o);
            }
            if (l == 1) System.arraycopy(t, 0, out, outOff, o);
            else kp.transposeInto(t, 0, o, l, o, out, outOff, l);
        } else {
            float[] bp = Scratch.get(Scratch.GEMM_B, roundUp(l, nr) * kc);
            for (int s = 0, pc = 0; s < packed.length; s++, pc += kc) {
                int kb = Math.min(kc, k - pc);
                if (kb <= 0) break;
                Gemm.packB(kp, false, col, colOff, l, pc, kb, 0, l, nr, bp);
                kp.gemmBlock(o, l, kb, 1f, null, 0, 0, packed[s], bp, s == 0 ? 0f : 1f, out, outOff, l);
            }
        }
        if (k == 0) java.util.Arrays.fill(out, outOff, outOff + o * l, 0f);
        if (bias != null || relu) epilogue(out, outOff, relu);
    }

    /** Bias and ReLU over each output channel's plane, while it is in cache. */
    private void epilogue(float[] out, int outOff, boolean relu) {
        for (int c = 0; c < o; c++) {
            float b = bias == null ? 0f : bias[c];
            int row = outOff + c * l;
            if (relu) for (int j = row; j < row + l; j++) out[j] = Math.max(out[j] + b, 0f);
            else for (int j = row; j < row + l; j++) out[j] += b;
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int y) {
        return ceilDiv(x, y) * y;
    }
}
