package org.jgrad.kernels;

/** The bias-and-activation epilogue of a linear layer, applied row by row while each row is in cache. */
public final class BiasRows {
    private BiasRows() {}

    /**
     * out[i·n + j] += bias[bo + j·bs] for every row i &lt; rows, then max(·, 0) on the row when
     * {@code relu}; with a null bias only the ReLU.
     */
    public static void addRows(float[] out, int rows, int n, float[] bias, int bo, int bs, boolean relu) {
        if (bias == null) {
            if (relu) Elementwise.unary(Elementwise.Unary.RELU, out, 0, out, 0, rows * n);
            return;
        }
        float[] row = bias;
        int ro = bo;
        if (bs != 1) {
            row = new float[n];
            for (int j = 0; j < n; j++) row[j] = bias[bo + j * bs];
            ro = 0;
        }
        // the vector row kernel: C2 does not vectorize the plain loop, as out and row might overlap
        for (int i = 0; i < rows; i++) {
            Elementwise.row(Elementwise.Binary.ADD, out, i * n, 1, row, ro, 1, out, i * n, n);
            if (relu) Elementwise.unary(Elementwise.Unary.RELU, out, i * n, out, i * n, n);
        }
    }
}
