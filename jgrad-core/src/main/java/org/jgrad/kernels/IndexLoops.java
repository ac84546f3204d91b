package org.jgrad.kernels;

/**
 * Indexing loops: gather and scatter-add along one dim, index_select and its gradient, row-block
 * copies (concatenation) and one-hot rows. Indices arrive checked: each in [−size, size) of the dim
 * it addresses (negative ones count from the end), so these loops only move data.
 */
public final class IndexLoops {
    private IndexLoops() {}

    /** The visitor of {@link #forEachGatherOffset}: index element k addresses x's element at {@code xOffset}. */
    private interface OffsetSink {
        void accept(int k, int xOffset);
    }

    /** For each index element k (row-major over {@code is}), the offset in a contiguous x of shape xs it addresses. */
    private static void forEachGatherOffset(int[] is, int[] xs, int d, long[] id, int idOff, int count, OffsetSink sink) {
        int r = is.length;
        int[] xst = new int[r];
        for (int i = r - 1, s = 1; i >= 0; i--) {
            xst[i] = s;
            s *= xs[i];
        }
        int[] pos = new int[r];
        for (int k = 0; k < count; k++) {
            long v = id[idOff + k];
            if (v < 0) v += xs[d];
            int p = 0;
            for (int i = 0; i < r; i++) p += (i == d ? (int) v : pos[i]) * xst[i];
            sink.accept(k, p);
            for (int i = r - 1; i >= 0; i--) {
                if (++pos[i] < is[i]) break;
                pos[i] = 0;
            }
        }
    }

    /** out[k] = x[xOff + offset of (index k's position, with index[k] at dim d)], for a contiguous x of shape xs. */
    public static void gather(float[] x, int xOff, int[] xs, int d, long[] id, int idOff, int[] is, float[] out) {
        forEachGatherOffset(is, xs, d, id, idOff, out.length, (k, p) -> out[k] = x[xOff + p]);
    }

    /** out[offset of index k's position] += src[srcOff + k]: gather's gradient, into a contiguous out of shape xs. */
    public static void scatterAdd(float[] src, int srcOff, int[] xs, int d, long[] id, int idOff, int[] is, int count,
            float[] out) {
        forEachGatherOffset(is, xs, d, id, idOff, count, (k, p) -> out[p] += src[srcOff + k]);
    }

    /**
     * dst[o, j, :] = src[o, index[j], :] over a contiguous [outer, size, inner] source (at {@code srcOff})
     * and a contiguous [outer, count, inner] destination.
     */
    public static void indexSelect(float[] src, int srcOff, int outer, int size, int inner, long[] id, int idOff,
            int count, float[] dst) {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < count; j++) {
                int s = (int) (id[idOff + j] < 0 ? id[idOff + j] + size : id[idOff + j]);
                System.arraycopy(src, srcOff + (o * size + s) * inner, dst, (o * count + j) * inner, inner);
            }
    }

    /** {@link #indexSelect(float[], int, int, int, int, long[], int, int, float[])} for int64 elements. */
    public static void indexSelect(long[] src, int srcOff, int outer, int size, int inner, long[] id, int idOff,
            int count, long[] dst) {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < count; j++) {
                int s = (int) (id[idOff + j] < 0 ? id[idOff + j] + size : id[idOff + j]);
                System.arraycopy(src, srcOff + (o * size + s) * inner, dst, (o * count + j) * inner, inner);
            }
    }

    /** The gradient of {@link #indexSelect}: gx[o, index[j], :] += g[o, j, :], repeated indices summed in order. */
    public static void indexSelectBackward(float[] g, int gOff, int outer, int size, int inner, long[] id, int idOff,
            int count, float[] gx) {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < count; j++) {
                int s = (int) (id[idOff + j] < 0 ? id[idOff + j] + size : id[idOff + j]);
                int from = gOff + (o * count + j) * inner, to = (o * size + s) * inner;
                for (int q = 0; q < inner; q++) gx[to + q] += g[from + q];
            }
    }

    /** Copies {@code rows} blocks of {@code len} elements: src[srcOff + r·srcStride ..] to dst[dstOff + r·dstStride ..]. */
    public static void copyRows(Object src, int srcOff, int srcStride, Object dst, int dstOff, int dstStride, int rows,
            int len) {
        for (int r = 0; r < rows; r++) System.arraycopy(src, srcOff + r * srcStride, dst, dstOff + r * dstStride, len);
    }

    /** out[i·classes + labels[i]] = 1 for i &lt; n into a zeroed out (labels checked in [0, classes)). */
    public static void oneHot(long[] labels, int off, int n, int classes, float[] out) {
        for (int i = 0; i < n; i++) out[i * classes + (int) labels[off + i]] = 1f;
    }
}
