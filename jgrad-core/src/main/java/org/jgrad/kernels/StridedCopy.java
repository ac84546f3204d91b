package org.jgrad.kernels;

/** Gathers a strided n-d view into a contiguous array. */
public final class StridedCopy {
    private StridedCopy() {}

    /** Copies the elements of the view (src, offset, shape, strides) row-major into dst from dstOff. */
    public static void toContiguous(float[] src, int offset, int[] shape, int[] strides, float[] dst, int dstOff) {
        int rank = shape.length;
        int n = 1;
        for (int s : shape) n *= s;
        if (n == 0) return;
        if (rank == 0) {
            dst[dstOff] = src[offset];
            return;
        }
        int last = rank - 1, len = shape[last], st = strides[last];
        int[] idx = new int[rank];
        int p = offset, q = dstOff;
        for (int done = 0; done < n; done += len) {
            if (st == 1) {
                System.arraycopy(src, p, dst, q, len);
                q += len;
            } else {
                for (int j = 0, r = p; j < len; j++, r += st) dst[q++] = src[r];
            }
            for (int d = last - 1; d >= 0; d--) {
                idx[d]++;
                p += strides[d];
                if (idx[d] < shape[d]) break;
                p -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    /** {@link #toContiguous(float[], int, int[], int[], float[], int)} for int64 elements. */
    public static void toContiguous(long[] src, int offset, int[] shape, int[] strides, long[] dst, int dstOff) {
        int rank = shape.length;
        int n = 1;
        for (int s : shape) n *= s;
        if (n == 0) return;
        if (rank == 0) {
            dst[dstOff] = src[offset];
            return;
        }
        int last = rank - 1, len = shape[last], st = strides[last];
        int[] idx = new int[rank];
        int p = offset, q = dstOff;
        for (int done = 0; done < n; done += len) {
            if (st == 1) {
                System.arraycopy(src, p, dst, q, len);
                q += len;
            } else {
                for (int j = 0, r = p; j < len; j++, r += st) dst[q++] = src[r];
            }
            for (int d = last - 1; d >= 0; d--) {
                idx[d]++;
                p += strides[d];
                if (idx[d] < shape[d]) break;
                p -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    /**
     * dst[d + p·ldd + r] = src[s + r·ld + p] for r &lt; rows, p &lt; cols: writes the transpose of a
     * rows×cols block (16×16 register blocks on the vector provider).
     */
    public static void transpose(float[] src, int s, int ld, int rows, int cols, float[] dst, int d, int ldd) {
        Kernels.DEFAULT.transposeInto(src, s, ld, rows, cols, dst, d, ldd);
    }
}
