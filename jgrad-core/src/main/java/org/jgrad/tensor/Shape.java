package org.jgrad.tensor;

import java.util.Arrays;

/** Static helpers for shapes and strides; shapes are plain {@code int[]} everywhere in jgrad. */
public final class Shape {
    private Shape() {}

    /** Number of elements of a shape; the empty shape (a scalar) has one. */
    public static int numel(int[] shape) {
        return numel("shape", shape);
    }

    /**
     * Number of elements of a shape, validated for the op {@code op}: no negative sizes and fewer
     * than 2^31 elements (the storage is one Java array).
     */
    public static int numel(String op, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(op + ": negative dimension in shape " + str(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException(op + ": shape " + str(shape) + " has more than 2^31-9 elements");
        return (int) n;
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    public static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    /** Formats a shape the way error messages print it: {@code [64, 784]}. */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * The shape two operands broadcast to (NumPy rules: align trailing dims; a dim of 1 stretches).
     *
     * @throws IllegalArgumentException naming the op and both shapes when they are incompatible
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da == db || db == 1) out[i] = da;
            else if (da == 1) out[i] = db;
            else
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast (dimension " + i + ": " + da + " vs " + db + ")");
        }
        return out;
    }

    /** Turns a possibly negative dim into its index in {@code [0, rank)}. */
    public static int normalizeDim(String op, int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r)
            throw new IndexOutOfBoundsException(op + ": dimension " + dim + " out of range for a tensor of rank "
                    + rank + " (expected in [" + (-r) + ", " + (r - 1) + "])");
        return dim < 0 ? dim + r : dim;
    }

    /** True when both shapes have the same rank and sizes. */
    public static boolean same(int[] a, int[] b) {
        return Arrays.equals(a, b);
    }
}
