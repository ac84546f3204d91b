package org.jgrad.kernels;

/**
 * Reductions of embedding-table rows over bags of indices (PyTorch's {@code embedding_bag}) and their
 * gradients. The table is [rows, dim] row-major; bag {@code b} is the entries {@code i} in
 * {@code [start[b], start[b + 1])} of {@code index}, less those equal to {@code skip} (the padding row; −1
 * for none), which take no part in the sum, the mean's count or the maximum.
 */
public final class EmbeddingBags {
    private EmbeddingBags() {}

    /** The reductions, as PyTorch numbers them. */
    public static final int SUM = 0, MEAN = 1, MAX = 2;

    /**
     * {@code out[b] = } the {@code mode} reduction of {@code table[index[i]]} over bag {@code b}; for
     * {@link #SUM}, each row times {@code weights[wOff + i]} when {@code weights} is not null. An empty bag
     * gives zeros. {@code count[b]} receives the entries reduced; for {@link #MAX}, {@code argmax[b·dim + j]}
     * the entry {@code i} whose row won column {@code j} (the first on ties; −1 for an empty bag).
     */
    public static void forward(float[] table, int off, int dim, long[] index, int[] start, float[] weights, int wOff, int mode,
            long skip, float[] out, int[] count, int[] argmax) {
        int bags = start.length - 1;
        for (int b = 0; b < bags; b++) {
            int o = b * dim, n = 0;
            for (int i = start[b]; i < start[b + 1]; i++) {
                if (index[i] == skip) continue;
                int row = off + (int) index[i] * dim;
                if (mode == MAX) {
                    for (int j = 0; j < dim; j++)
                        if (n == 0 || table[row + j] > out[o + j]) {
                            out[o + j] = table[row + j];
                            argmax[o + j] = i;
                        }
                } else {
                    float w = weights == null ? 1f : weights[wOff + i];
                    for (int j = 0; j < dim; j++) out[o + j] += w * table[row + j];
                }
                n++;
            }
            count[b] = n;
            if (mode == MAX && n == 0) java.util.Arrays.fill(argmax, o, o + dim, -1);
            if (mode == MEAN && n > 0) {
                float inv = 1f / n;
                for (int j = 0; j < dim; j++) out[o + j] *= inv;
            }
        }
    }

    /**
     * The table's gradient: {@code grad[index[i]] += } bag {@code b}'s gradient {@code g[gOff + b·dim ..]}
     * for each entry {@code i} of the bag, times {@code weights[wOff + i]} (SUM with weights), divided by
     * {@code count[b]} (MEAN), or only in the columns the entry won (MAX, from {@code argmax}).
     */
    public static void backwardTable(float[] g, int gOff, int dim, long[] index, int[] start, float[] weights, int wOff, int mode,
            long skip, int[] count, int[] argmax, float[] grad) {
        int bags = start.length - 1;
        for (int b = 0; b < bags; b++) {
            int from = gOff + b * dim;
            if (mode == MAX) {
                for (int j = 0; j < dim; j++) {
                    int i = argmax[b * dim + j];
                    if (i >= 0) grad[(int) index[i] * dim + j] += g[from + j];
                }
                continue;
            }
            float scale = mode == MEAN ? (count[b] == 0 ? 0f : 1f / count[b]) : 1f;
            for (int i = start[b]; i < start[b + 1]; i++) {
                if (index[i] == skip) continue;
                float w = scale * (weights == null ? 1f : weights[wOff + i]);
                int to = (int) index[i] * dim;
                for (int j = 0; j < dim; j++) grad[to + j] += w * g[from + j];
            }
        }
    }

    /**
     * The per-sample weights' gradient of a weighted SUM: {@code out[i] = g[bag of i] · table[index[i]]},
     * 0 for padding entries.
     */
    public static void backwardWeights(float[] g, int gOff, float[] table, int off, int dim, long[] index, int[] start, long skip,
            float[] out) {
        int bags = start.length - 1;
        for (int b = 0; b < bags; b++) {
            int from = gOff + b * dim;
            for (int i = start[b]; i < start[b + 1]; i++) {
                if (index[i] == skip) continue;
                int row = off + (int) index[i] * dim;
                double s = 0;
                for (int j = 0; j < dim; j++) s += (double) g[from + j] * table[row + j];
                out[i] = (float) s;
            }
        }
    }
}
