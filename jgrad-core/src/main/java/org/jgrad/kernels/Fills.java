package org.jgrad.kernels;

/** The loops behind the tensor factories that compute their values: ranges, even spacing, identity. */
public final class Fills {
    private Fills() {}

    /** {@code out[i] = (float) (start + (double) i * step)}: {@code torch.arange}'s values. */
    public static void arange(float[] out, float start, float step) {
        for (int i = 0; i < out.length; i++) out[i] = (float) (start + (double) i * step);
    }

    /** {@code out.length} values from start to end inclusive, filled from both ends as PyTorch does. */
    public static void linspace(float[] out, float start, float end) {
        int steps = out.length;
        if (steps == 1) {
            out[0] = start; // torch.linspace(a, b, 1) is [a]
            return;
        }
        double step = steps > 1 ? ((double) end - start) / (steps - 1) : 0;
        // Fill from both ends, so the last value is exactly `end`.
        for (int i = 0; i < steps; i++) out[i] = i < steps / 2 ? (float) (start + step * i) : (float) (end - step * (steps - 1 - i));
    }

    /** Ones on the diagonal of a zero-filled row-major n×m matrix. */
    public static void eye(float[] out, int n, int m) {
        for (int i = 0; i < Math.min(n, m); i++) out[i * m + i] = 1;
    }
}
