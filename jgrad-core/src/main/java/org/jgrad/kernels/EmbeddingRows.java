package org.jgrad.kernels;

/** Row lookups of an embedding table [rows, dim] (row-major) and their gradient. */
public final class EmbeddingRows {
    private EmbeddingRows() {}

    /** out[i·dim ..] = table[index[i]·dim ..] for every i. */
    public static void gather(float[] table, int off, int dim, long[] index, float[] out) {
        for (int i = 0; i < index.length; i++)
            System.arraycopy(table, off + (int) index[i] * dim, out, i * dim, dim);
    }

    /**
     * grad[index[i]] += g[i] for every i whose index is not {@code skip} (the padding row, whose
     * gradient stays 0; pass −1 for none).
     */
    public static void scatterAdd(float[] g, int gOff, int dim, long[] index, long skip, float[] grad) {
        for (int i = 0; i < index.length; i++) {
            if (index[i] == skip) continue;
            int to = (int) index[i] * dim, from = gOff + i * dim;
            for (int j = 0; j < dim; j++) grad[to + j] += g[from + j];
        }
    }

    /**
     * PyTorch's {@code embedding_renorm_}: every distinct row named in {@code index} whose p-norm
     * exceeds {@code maxNorm} is scaled in place to norm {@code maxNorm / (norm + 1e-7)·norm}.
     */
    public static void renorm(float[] table, int off, int dim, long[] index, double maxNorm, double p) {
        long[] rows = index.clone();
        java.util.Arrays.sort(rows);
        for (int i = 0; i < rows.length; i++) {
            if (i > 0 && rows[i] == rows[i - 1]) continue;
            int base = off + (int) rows[i] * dim;
            double norm = 0;
            if (p == 1) for (int j = 0; j < dim; j++) norm += Math.abs(table[base + j]);
            else if (p == 2) {
                for (int j = 0; j < dim; j++) norm += (double) table[base + j] * table[base + j];
                norm = Math.sqrt(norm);
            } else if (Double.isInfinite(p)) for (int j = 0; j < dim; j++) norm = Math.max(norm, Math.abs(table[base + j]));
            else {
                for (int j = 0; j < dim; j++) norm += Math.pow(Math.abs(table[base + j]), p);
                norm = Math.pow(norm, 1 / p);
            }
            if (norm > maxNorm) {
                float scale = (float) (maxNorm / (norm + 1e-7));
                for (int j = 0; j < dim; j++) table[base + j] *= scale;
            }
        }
    }
}
