package org.jgrad.vision.features;

import java.util.Locale;

/**
 * Histograms of oriented gradients (Dalal and Triggs, 2005) exactly as scikit-image's
 * {@code skimage.feature.hog} computes them, so the numbers agree with it to float32 rounding:
 * <ol>
 *   <li>optionally the square root of every pixel ({@code transform_sqrt});
 *   <li>gradients by central differences without the ½ ({@code g_row = I[r+1] − I[r−1]}), zero on the
 *       first and last row (column) of the image; for several channels, each pixel takes the
 *       gradient of the channel where it is strongest;
 *   <li>unsigned orientation in [0°, 180°), hard-binned into {@code orientations} equal bins (no
 *       interpolation between bins or cells); each cell of {@code cellRows × cellCols} pixels holds the
 *       mean gradient magnitude of each bin (pixels beyond the last whole cell are ignored);
 *   <li>overlapping blocks of {@code blockRows × blockCols} cells, stride one cell, each normalised by
 *       {@link BlockNorm}; the output is blocks × cells × orientations, row-major.
 * </ol>
 * scikit-image's defaults are {@link #Hog()}: 9 orientations, 8×8-pixel cells, 3×3-cell blocks, L2-Hys.
 * Length: 324 for a 32×32 image, 81 for 28×28; 1,296 for 28×28 with 4-pixel cells and 2×2 blocks.
 */
public final class Hog extends ArrayImageFeature {
    /** scikit-image's block normalisations ({@code block_norm}), with its ε = 1e-5. */
    public enum BlockNorm {
        /** v / (‖v‖₁ + ε). */
        L1,
        /** sqrt(v / (‖v‖₁ + ε)). */
        L1_SQRT,
        /** v / sqrt(‖v‖₂² + ε²). */
        L2,
        /** L2, then values clipped at 0.2, then L2 again (Lowe's SIFT normalisation). */
        L2_HYS;

        /** Parses scikit-image's names {@code L1}, {@code L1-sqrt}, {@code L2}, {@code L2-Hys} (any case, - or _). */
        public static BlockNorm of(String s) {
            String k = s == null ? "" : s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (BlockNorm b : values()) if (b.name().equals(k)) return b;
            throw new IllegalArgumentException("hog: block norm must be L1, L1-sqrt, L2 or L2-Hys, got '" + s + "'");
        }
    }

    private static final double EPS = 1e-5;

    private final int orientations, cellRows, cellCols, blockRows, blockCols;
    private final BlockNorm norm;
    private final boolean transformSqrt;
    // Bin edges as scikit-image's float32 arithmetic gives them: edge[i] = (float) (180 / orientations) * i.
    private final double[] edges;

    /** scikit-image's defaults: 9 orientations, 8×8-pixel cells, 3×3-cell blocks, L2-Hys. */
    public Hog() {
        this(9, 8, 8, 3, 3, BlockNorm.L2_HYS, false);
    }

    /** Square cells and blocks, L2-Hys, no square root: {@code new Hog(9, 4, 2)} is 4-pixel cells in 2×2 blocks. */
    public Hog(int orientations, int cellSize, int blockSize) {
        this(orientations, cellSize, cellSize, blockSize, blockSize, BlockNorm.L2_HYS, false);
    }

    /**
     * Every option of scikit-image's {@code hog}.
     *
     * @throws IllegalArgumentException if any size is below 1
     */
    public Hog(int orientations, int cellRows, int cellCols, int blockRows, int blockCols, BlockNorm norm,
            boolean transformSqrt) {
        if (orientations < 1 || cellRows < 1 || cellCols < 1 || blockRows < 1 || blockCols < 1)
            throw new IllegalArgumentException("hog: orientations, cell and block sizes must be at least 1, got "
                    + orientations + " orientations, " + cellRows + "x" + cellCols + "-pixel cells, " + blockRows + "x"
                    + blockCols + "-cell blocks");
        if (norm == null) throw new IllegalArgumentException("hog: block norm is null");
        this.orientations = orientations;
        this.cellRows = cellRows;
        this.cellCols = cellCols;
        this.blockRows = blockRows;
        this.blockCols = blockCols;
        this.norm = norm;
        this.transformSqrt = transformSqrt;
        float perBin = (float) (180.0 / orientations);
        edges = new double[orientations + 1];
        for (int i = 0; i <= orientations; i++) edges[i] = perBin * i;
    }

    @Override
    public String name() {
        return "hog";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "hog(%d orientations, %dx%d cells, %dx%d blocks, %s%s)", orientations, cellRows,
                cellCols, blockRows, blockCols, norm, transformSqrt ? ", sqrt" : "");
    }

    @Override
    public int length(int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1)
            throw new IllegalArgumentException("hog: empty image: " + channels + " channels of " + height + "x" + width
                    + " pixels");
        int nbr = height / cellRows - blockRows + 1, nbc = width / cellCols - blockCols + 1;
        if (nbr <= 0 || nbc <= 0)
            throw new IllegalArgumentException("hog: a " + height + "x" + width + " image has " + height / cellRows + "x"
                    + width / cellCols + " cells of " + cellRows + "x" + cellCols + " pixels, fewer than one block of "
                    + blockRows + "x" + blockCols + " cells; use smaller cells or blocks");
        return nbr * nbc * blockRows * blockCols * orientations;
    }

    @Override
    void extract(float[] image, int offset, int channels, int height, int width, float[] out, int outOffset) {
        ImageShape.check("hog", image, offset, channels, height, width);
        int len = length(channels, height, width);
        if (outOffset < 0 || outOffset + (long) len > out.length)
            throw new IllegalArgumentException("hog: output needs " + len + " values from offset " + outOffset
                    + ", the array has " + out.length);
        int plane = height * width;
        double[] gRow = new double[plane], gCol = new double[plane];
        gradients(image, offset, channels, height, width, gRow, gCol);
        int ncr = height / cellRows, ncc = width / cellCols;
        double[] hist = new double[ncr * ncc * orientations];
        cellHistograms(gRow, gCol, width, ncr, ncc, hist);
        normaliseBlocks(hist, ncr, ncc, out, outOffset);
    }

    /** Per pixel, the gradient of the channel with the largest magnitude (the first on ties, as numpy's argmax). */
    private void gradients(float[] image, int offset, int channels, int h, int w, double[] gRow, double[] gCol) {
        int plane = h * w;
        float[] img = image;
        int off = offset;
        if (transformSqrt) {
            img = new float[channels * plane];
            for (int i = 0; i < img.length; i++) {
                float v = image[offset + i];
                if (!(v >= 0))
                    throw new IllegalArgumentException("hog: transform_sqrt needs non-negative pixels, found " + v
                            + " at " + position(i, h, w));
                img[i] = (float) Math.sqrt(v);
            }
            off = 0;
        }
        float[] best = channels > 1 ? new float[plane] : null;
        for (int ch = 0; ch < channels; ch++) {
            int base = off + ch * plane;
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    int p = r * w + c;
                    // float32 differences, as scikit-image computes them for float32 images.
                    float gr = r == 0 || r == h - 1 ? 0f : img[base + p + w] - img[base + p - w];
                    float gc = c == 0 || c == w - 1 ? 0f : img[base + p + 1] - img[base + p - 1];
                    if (channels == 1) {
                        gRow[p] = gr;
                        gCol[p] = gc;
                    } else {
                        float mag = (float) magnitude(gr, gc);
                        if (ch == 0 || mag > best[p]) {
                            best[p] = mag;
                            gRow[p] = gr;
                            gCol[p] = gc;
                        }
                    }
                }
            }
        }
    }

    private static String position(int i, int h, int w) {
        int plane = h * w;
        return "(channel " + i / plane + ", row " + (i % plane) / w + ", column " + i % w + ")";
    }

    /**
     * scikit-image's {@code hog_histograms}: each cell's per-bin sum of magnitudes, accumulated in
     * float32 in row-major pixel order and divided by the cell's pixel count.
     */
    private void cellHistograms(double[] gRow, double[] gCol, int w, int ncr, int ncc, double[] hist) {
        float[] total = new float[orientations];
        float area = cellRows * cellCols;
        for (int cr = 0; cr < ncr; cr++) {
            for (int cc = 0; cc < ncc; cc++) {
                java.util.Arrays.fill(total, 0f);
                for (int r = cr * cellRows; r < (cr + 1) * cellRows; r++) {
                    for (int c = cc * cellCols; c < (cc + 1) * cellCols; c++) {
                        int p = r * w + c;
                        int bin = bin(orientation(gRow[p], gCol[p]));
                        if (bin >= 0) total[bin] = (float) (total[bin] + magnitude(gRow[p], gCol[p]));
                    }
                }
                int o = (cr * ncc + cc) * orientations;
                for (int b = 0; b < orientations; b++) hist[o + b] = total[b] / area;
            }
        }
    }

    /**
     * √(a² + b²). The gradients are differences of float32 pixels, so their squares are exact in double
     * and this is within an ulp of numpy's {@code hypot}, at a fraction of {@link Math#hypot}'s cost
     * (which guards against overflow that float32 inputs cannot cause).
     */
    private static double magnitude(double a, double b) {
        return Math.sqrt(a * a + b * b);
    }

    /** {@code rad2deg(arctan2(g_row, g_col)) % 180} with numpy's floored modulo. */
    static double orientation(double gRow, double gCol) {
        double deg = Math.toDegrees(Math.atan2(gRow, gCol));
        double m = deg % 180.0;
        if (m < 0) m += 180.0;
        return m;
    }

    /** The bin i with edge[i] ≤ angle < edge[i+1], or −1 when rounding put the angle at 180° (no bin). */
    private int bin(double angle) {
        int b = (int) (angle * orientations / 180.0);
        if (b >= orientations) b = orientations - 1;
        while (b > 0 && angle < edges[b]) b--;
        while (b < orientations && angle >= edges[b + 1]) b++;
        return b < orientations && angle >= edges[b] ? b : -1;
    }

    private void normaliseBlocks(double[] hist, int ncr, int ncc, float[] out, int outOffset) {
        int nbr = ncr - blockRows + 1, nbc = ncc - blockCols + 1, blockLen = blockRows * blockCols * orientations;
        double[] v = new double[blockLen];
        int o = outOffset;
        for (int br = 0; br < nbr; br++) {
            for (int bc = 0; bc < nbc; bc++) {
                int i = 0;
                for (int r = br; r < br + blockRows; r++)
                    for (int c = bc; c < bc + blockCols; c++)
                        for (int b = 0; b < orientations; b++) v[i++] = hist[(r * ncc + c) * orientations + b];
                normalise(v);
                for (int j = 0; j < blockLen; j++) out[o + j] = (float) v[j];
                o += blockLen;
            }
        }
    }

    private void normalise(double[] v) {
        switch (norm) {
            case L1 -> divide(v, l1(v) + EPS);
            case L1_SQRT -> {
                double s = l1(v) + EPS;
                for (int i = 0; i < v.length; i++) v[i] = Math.sqrt(v[i] / s);
            }
            case L2 -> divide(v, Math.sqrt(sumSq(v) + EPS * EPS));
            case L2_HYS -> {
                divide(v, Math.sqrt(sumSq(v) + EPS * EPS));
                for (int i = 0; i < v.length; i++) v[i] = Math.min(v[i], 0.2);
                divide(v, Math.sqrt(sumSq(v) + EPS * EPS));
            }
        }
    }

    private static double l1(double[] v) {
        double s = 0;
        for (double x : v) s += Math.abs(x);
        return s;
    }

    private static double sumSq(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return s;
    }

    private static void divide(double[] v, double d) {
        for (int i = 0; i < v.length; i++) v[i] /= d;
    }
}
