package org.jgrad.kernels;

/**
 * Loops over one strided n-d view (storage array, offset, shape, strides) in row-major order: the
 * in-place fills, copies and scalings of the tensor layer, and copies out of a view into a
 * contiguous run with or without a type conversion. Row-major order matters only when a view's
 * elements overlap (a stride of 0): the last write wins, or every visit adds.
 */
public final class ViewLoops {
    private ViewLoops() {}

    /** Sets every element of the view to {@code value}. */
    public static void fill(float[] dst, int offset, int[] shape, int[] strides, float value) {
        int n = count(shape);
        if (n == 0) return;
        int rank = shape.length;
        if (rank == 0) {
            dst[offset] = value;
            return;
        }
        int last = rank - 1, len = shape[last], st = strides[last];
        int[] idx = new int[rank];
        int p = offset;
        for (int done = 0; done < n; done += len) {
            for (int j = 0, q = p; j < len; j++, q += st) dst[q] = value;
            p = advance(idx, shape, strides, p);
        }
    }

    /** {@code view[k] = src[srcOff + k]} for the view's elements k in row-major order. */
    public static void copyFromContiguous(float[] dst, int offset, int[] shape, int[] strides, float[] src, int srcOff) {
        int n = count(shape);
        if (n == 0) return;
        int rank = shape.length;
        if (rank == 0) {
            dst[offset] = src[srcOff];
            return;
        }
        int last = rank - 1, len = shape[last], st = strides[last];
        int[] idx = new int[rank];
        int p = offset, k = srcOff;
        for (int done = 0; done < n; done += len) {
            for (int j = 0, q = p; j < len; j++, q += st) dst[q] = src[k++];
            p = advance(idx, shape, strides, p);
        }
    }

    /** {@code view[k] += alpha * src[srcOff + k]} for the view's elements k in row-major order. */
    public static void addScaledFromContiguous(float[] dst, int offset, int[] shape, int[] strides, float[] src, int srcOff,
            float alpha) {
        int n = count(shape);
        if (n == 0) return;
        int rank = shape.length;
        if (rank == 0) {
            dst[offset] += alpha * src[srcOff];
            return;
        }
        int last = rank - 1, len = shape[last], st = strides[last];
        int[] idx = new int[rank];
        int p = offset, k = srcOff;
        for (int done = 0; done < n; done += len) {
            for (int j = 0, q = p; j < len; j++, q += st) dst[q] += alpha * src[k++];
            p = advance(idx, shape, strides, p);
        }
    }

    /** {@code view[k] *= factor}. */
    public static void scale(float[] dst, int offset, int[] shape, int[] strides, float factor) {
        int n = count(shape);
        if (n == 0) return;
        int rank = shape.length;
        if (rank == 0) {
            dst[offset] *= factor;
            return;
        }
        int last = rank - 1, len = shape[last], st = strides[last];
        int[] idx = new int[rank];
        int p = offset;
        for (int done = 0; done < n; done += len) {
            for (int j = 0, q = p; j < len; j++, q += st) dst[q] *= factor;
            p = advance(idx, shape, strides, p);
        }
    }

    /** The int64 view's elements row-major into a float array, each rounded to the nearest float. */
    public static void toContiguous(long[] src, int offset, int[] shape, int[] strides, float[] dst, int dstOff) {
        int n = count(shape);
        if (n == 0) return;
        int rank = shape.length;
        if (rank == 0) {
            dst[dstOff] = src[offset];
            return;
        }
        int last = rank - 1, len = shape[last], st = strides[last];
        int[] idx = new int[rank];
        int p = offset, k = dstOff;
        for (int done = 0; done < n; done += len) {
            for (int j = 0, q = p; j < len; j++, q += st) dst[k++] = src[q];
            p = advance(idx, shape, strides, p);
        }
    }

    /** The float32 view's elements row-major into a long array, each truncated toward zero. */
    public static void toContiguous(float[] src, int offset, int[] shape, int[] strides, long[] dst, int dstOff) {
        int n = count(shape);
        if (n == 0) return;
        int rank = shape.length;
        if (rank == 0) {
            dst[dstOff] = (long) src[offset];
            return;
        }
        int last = rank - 1, len = shape[last], st = strides[last];
        int[] idx = new int[rank];
        int p = offset, k = dstOff;
        for (int done = 0; done < n; done += len) {
            for (int j = 0, q = p; j < len; j++, q += st) dst[k++] = (long) src[q];
            p = advance(idx, shape, strides, p);
        }
    }

    /** Whether a[ao + i] and b[bo + i] agree within atol + rtol·|b| for every i &lt; n (NaN never agrees). */
    public static boolean allClose(float[] a, int ao, float[] b, int bo, int n, float rtol, float atol) {
        for (int i = 0; i < n; i++) {
            float x = a[ao + i], y = b[bo + i];
            if (Float.isNaN(x) || Float.isNaN(y)) return false;
            if (Math.abs(x - y) > atol + rtol * Math.abs(y)) return false;
        }
        return true;
    }

    private static int count(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** Moves the outer indices (all but the last) one step like an odometer; returns the new row start. */
    private static int advance(int[] idx, int[] shape, int[] strides, int p) {
        for (int d = shape.length - 2; d >= 0; d--) {
            idx[d]++;
            p += strides[d];
            if (idx[d] < shape[d]) break;
            p -= strides[d] * shape[d];
            idx[d] = 0;
        }
        return p;
    }
}
