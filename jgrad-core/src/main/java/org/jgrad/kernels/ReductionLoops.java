package org.jgrad.kernels;

/**
 * Reduction loops over contiguous data laid out as rows: sums accumulated in double, max/min with
 * their indices, and the tie-splitting gradient of a whole-tensor max/min.
 */
public final class ReductionLoops {
    private ReductionLoops() {}

    /**
     * out[j] = Σ_i x[off + i·cols + j] over {@code rows} rows (summing away leading dims, e.g. a batch of
     * gradients), accumulated in double in row order.
     */
    public static void sumLeading(float[] x, int off, int rows, int cols, float[] out) {
        double[] acc = new double[cols];
        for (int i = 0; i < rows; i++) {
            int base = off + i * cols;
            for (int j = 0; j < cols; j++) acc[j] += x[base + j];
        }
        for (int j = 0; j < cols; j++) out[j] = (float) acc[j];
    }

    /** out[i] = Σ_j x[off + i·len + j] for each of {@code rows} rows, accumulated in double. */
    public static void sumRows(float[] x, int off, int rows, int len, float[] out) {
        for (int i = 0; i < rows; i++) {
            double acc = 0;
            int base = off + i * len;
            for (int j = 0; j < len; j++) acc += x[base + j];
            out[i] = (float) acc;
        }
    }

    /**
     * The max (or min) of each of {@code rows} rows of length {@code len} and the index of its first
     * occurrence; a NaN wins and stops the scan (PyTorch).
     */
    public static void extremeRows(float[] d, int off, int rows, int len, boolean isMax, float[] v, long[] ix) {
        for (int i = 0; i < rows; i++) {
            int base = off + i * len;
            float best = d[base];
            int bi = 0;
            for (int j = 1; j < len; j++) {
                float c = d[base + j];
                if (best != best) break; // NaN wins, as in PyTorch
                if (c != c || (isMax ? c > best : c < best)) {
                    best = c;
                    bi = j;
                }
            }
            v[i] = best;
            ix[i] = bi;
        }
    }

    /**
     * out[i] = g / ties where x[xOff+i] equals {@code best} (or both are NaN), else 0: the gradient of a
     * whole-tensor max/min shared evenly among its ties (PyTorch's {@code evenly_distribute_backward}).
     */
    public static void shareAmongTies(float[] x, int xOff, int n, float best, float g, float[] out) {
        int ties = 0;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            if (v == best || (best != best && v != v)) ties++;
        }
        float share = g / ties;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            if (v == best || (best != best && v != v)) out[i] = share;
        }
    }
}
