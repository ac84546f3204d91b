package org.jgrad.kernels;

/**
 * Elementwise loops that compare or select rather than compute: clamp, comparison masks and
 * {@code where}, over contiguous operands read from their offsets, written from 0 of the output.
 */
public final class CompareSelect {
    private CompareSelect() {}

    /** Comparison kinds, IEEE semantics (NaN compares false except for NE). */
    public enum Compare {
        /** {@code ==}. */ EQ,
        /** {@code !=}. */ NE,
        /** {@code <}. */ LT,
        /** {@code <=}. */ LE,
        /** {@code >}. */ GT,
        /** {@code >=}. */ GE
    }

    /** out[i] = x[xOff+i] limited to [min, max] (NaN stays NaN). */
    public static void clamp(float[] x, int xOff, int n, float min, float max, float[] out) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            out[i] = v < min ? min : (v > max ? max : v);
        }
    }

    /** out[i] = 1 where {@code a[aOff+i] cmp b[bOff+i]}, else 0. */
    public static void compare(Compare cmp, float[] x, int ox, float[] y, int oy, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            float u = x[ox + i], v = y[oy + i];
            boolean r = switch (cmp) {
                case EQ -> u == v;
                case NE -> u != v;
                case LT -> u < v;
                case LE -> u <= v;
                case GT -> u > v;
                case GE -> u >= v;
            };
            out[i] = r ? 1f : 0f;
        }
    }

    /** out[i] = a[aOff+i] where cond[cOff+i] is non-zero, else b[bOff+i]. */
    public static void where(float[] cd, int cOff, float[] ad, int aOff, float[] bd, int bOff, int n, float[] out) {
        for (int i = 0; i < n; i++) out[i] = cd[cOff + i] != 0 ? ad[aOff + i] : bd[bOff + i];
    }
}
