package org.jgrad.kernels;

/**
 * The input gradient of a stride-1 convolution with few input channels, without the transposed
 * convolution's padding: first the column gradient {@code dcol[tap][q] = Σ_o w[o][tap] · G[o][q]} over the
 * real output positions q of a group of images (numbered through the group, so no tile holds padding),
 * then each input row as the overlap-add of the column rows that reach it
 * ({@link KernelProvider#overlapAddPlanes}).
 *
 * <p>Why: {@link DirectConv#backwardInput} computes the same gradient as a stride-1 convolution of the
 * output gradient padded by {@code (k−1)·d − pad} on every side. LeNet-5's second layer pads its 10×10
 * gradient by 4, on a grid 18 wide for a 14-wide output: of the products over that grid about 40 % multiply
 * real values, and skipping the kernel rows that read only padding rows still leaves about twice the
 * real products. Here the product does exactly the real ones ({@code C·kH·kW × o} per output position,
 * in tiles of six taps × {@link KernelProvider#convTileWidth} positions, the by-position forward's own
 * kernel with the output channels as its taps), and the overlap-add costs one vector load and one masked
 * add per (input row, tap) pair. {@link #pays} says when that is the cheaper of the two.
 */
final class ConvInputByColumns {
    private ConvInputByColumns() {}

    /** Rows of a {@link KernelProvider#convTile} (the taps of one column-gradient tile). */
    private static final int ROWS = DirectConv.ROWS;
    /**
     * Floats of column gradient and gathered output gradient per group of images (256 KiB: LeNet-5's
     * second layer, 3 images; groups of 1 and 7 measured within the noise of it).
     */
    private static final long GROUP_FLOATS = 1L << 16;
    /**
     * Multiply-adds one masked vector add of the overlap-add counts as, per lane, when {@link #pays}
     * compares the two ways (a load and a masked add against a broadcast and a fused multiply-add).
     */
    private static final int OVERLAP_COST = 2;
    /** Share of the padded transposed convolution's cost below which this way is taken. */
    private static final double MAX_SHARE = 0.75;

    /**
     * Whether this way is cheaper than the padded transposed convolution by position, whose cost per
     * image is {@code gatherProducts} multiply-adds: the column products plus the overlap-add, weighed by
     * {@link #OVERLAP_COST}, under {@link #MAX_SHARE} of it. LeNet-5's second layer: 240k + 67k against
     * 492k.
     */
    static boolean pays(KernelProvider kp, Im2col.Geometry g, int o, long gatherProducts) {
        int c = g.channels(), kk = g.kernelH() * g.kernelW(), lanes = kp.convChannelBlock();
        long taps = (long) (c * kk + ROWS - 1) / ROWS * ROWS;
        long products = taps * o * g.outH() * g.outW();
        long overlap = (long) c * g.height() * ((g.width() + lanes - 1) / lanes) * kk * lanes * OVERLAP_COST;
        return products + overlap < MAX_SHARE * gatherProducts;
    }

    /**
     * {@code dx = conv_transpose(G, w)} for a batch of n images, stride 1: the same gradient as
     * {@link DirectConv#backwardInput}.
     *
     * @param gy the output gradient [n, o, outH, outW] from {@code gOff}
     * @param w [o, C, kH, kW] from {@code wOff}
     * @param dx [n, C, H, W] from {@code dxOff}, overwritten
     */
    static void backwardInput(KernelProvider kp, Im2col.Geometry g, int n, int o, float[] gy, int gOff, float[] w,
            int wOff, float[] dx, int dxOff) {
        if (g.strideH() != 1 || g.strideW() != 1)
            throw new IllegalArgumentException("ConvInputByColumns: needs stride 1, got " + g);
        int c = g.channels(), kH = g.kernelH(), kW = g.kernelW(), dH = g.dilationH(), dW = g.dilationW();
        int h = g.height(), wd = g.width(), outH = g.outH(), outW = g.outW(), l = outH * outW, outImg = o * l;
        int pT = g.padTop(), pL = g.padLeft(), img = g.imageSize();
        int kk = kH * kW, taps = c * kk, panels = (taps + ROWS - 1) / ROWS, tw = kp.convTileWidth(), lanes = kp.convChannelBlock();
        // The weight as tiles of six taps, interleaved by output channel: wi[(p·o + oc)·6 + r] = w[oc][6p + r].
        float[] wi = new float[panels * o * ROWS];
        for (int oc = 0; oc < o; oc++)
            for (int t = 0; t < taps; t++) wi[((t / ROWS) * o + oc) * ROWS + t % ROWS] = w[wOff + oc * taps + t];
        int group = (int) Math.max(1, Math.min(n, GROUP_FLOATS / ((long) (panels * ROWS + o) * l)));
        // The overlap-add reads a whole vector from (kW−1)·dW before a column row's first real value to
        // past its last: slack in front of the column gradient and behind it.
        int front = (kW - 1) * dW, back = wd + pL + 2 * lanes;
        if ((long) (panels * ROWS + o) * ((long) group * l + tw) + front + back > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("conv2d: the column gradient of " + taps + " taps over " + l
                    + " positions needs more floats than one Java array holds (2^31-9)");
        DirectConv.overImages(n, (long) taps * o * l, (i0, i1) -> {
            int gmax = Math.min(group, i1 - i0), ld = (gmax * l + tw - 1) / tw * tw;
            float[] gg = Scratch.get(Scratch.GRAD, o * ld), col = Scratch.get(Scratch.COL, front + panels * ROWS * ld + back);
            int[] off = new int[o];
            for (int oc = 0; oc < o; oc++) off[oc] = oc * ld;
            for (int a = i0; a < i1; a += gmax) {
                int cnt = Math.min(gmax, i1 - a), blocks = (cnt * l + tw - 1) / tw;
                // The group's output gradient as [o][positions through the group]; the tile reads past
                // the last position into the row's tail (its products are never read).
                for (int j = 0; j < cnt; j++)
                    for (int oc = 0; oc < o; oc++)
                        System.arraycopy(gy, gOff + (a + j) * outImg + oc * l, gg, oc * ld + j * l, l);
                for (int p = 0; p < panels; p++)
                    for (int b = 0; b < blocks; b++)
                        kp.convTile(o, off, gg, b * tw, wi, p * o * ROWS, col, front + p * ROWS * ld + b * tw, ld);
                for (int j = 0; j < cnt; j++)
                    kp.overlapAddPlanes(col, front + j * l, kk * ld, c, ld, kH, kW, dH, dW, pT, pL, outH, outW, dx,
                            dxOff + (a + j) * img, h * wd, h, wd);
            }
        });
    }
}
