package org.jgrad.data;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * The synthetic 2-D datasets of TensorFlow Playground (the lectures' "Tinker With a Neural Network"), generated the same way: points
 * in about [−6, 6]², classification labels 0/1 (the Playground's −1/+1), regression targets in
 * [−1, 1]. {@code noise} is the Playground's 0–0.5 slider value (0–50%).
 */
public final class Synthetic2D {
    private Synthetic2D() {}

    /** The Playground's data sets. */
    public enum Kind {
        /** A disc of radius 2.5 (label 1) inside a ring from 3.5 to 5 (label 0): needs a non-linear boundary. */
        CIRCLE(false),
        /** Label 1 where both coordinates have the same sign, 0 where they differ (the Playground's exclusive or). */
        XOR(false),
        /** Two Gaussian clouds around (2, 2) and (−2, −2); noise widens them until they overlap. */
        GAUSSIAN(false),
        /** Two interleaved spirals of 1.75 turns each: the hardest set, needs several hidden layers. */
        SPIRAL(false),
        /** Regression: target {@code (x + y)/10} clipped to [−1, 1], a tilted plane. */
        REGRESS_PLANE(true),
        /** Regression: six bumps of alternating sign on a 3×2 grid, 0 between them. */
        REGRESS_GAUSSIAN(true);

        private final boolean regression;

        Kind(boolean regression) {
            this.regression = regression;
        }

        /** True for the two regression sets. */
        public boolean isRegression() {
            return regression;
        }
    }

    /** {@code n} points of the given kind; inputs [n, 2], targets int64 [n] (classification) or float [n]. */
    public static TensorDataset generate(Kind kind, int n, double noise, Generator gen) {
        if (n <= 0) throw new IllegalArgumentException("Synthetic2D: number of samples must be positive, got " + n);
        if (!(noise >= 0 && noise <= 1)) throw new IllegalArgumentException("Synthetic2D: noise must be in [0, 1], got " + noise);
        float[] x = new float[2 * n];
        float[] yf = new float[n];
        switch (kind) {
            case CIRCLE -> circle(n, noise, gen, x, yf);
            case XOR -> xor(n, noise, gen, x, yf);
            case GAUSSIAN -> gaussian(n, noise, gen, x, yf);
            case SPIRAL -> spiral(n, noise, gen, x, yf);
            case REGRESS_PLANE -> plane(n, noise, gen, x, yf);
            case REGRESS_GAUSSIAN -> regressGaussian(n, noise, gen, x, yf);
        }
        Tensor inputs = TensorData.wrap(x, n, 2);
        if (kind.isRegression()) return new TensorDataset(inputs, TensorData.wrap(yf, n));
        long[] y = new long[n];
        for (int i = 0; i < n; i++) y[i] = yf[i] > 0 ? 1 : 0;
        return new TensorDataset(inputs, TensorData.wrapLongs(y, n));
    }

    private static double uniform(Generator g, double a, double b) {
        return a + (b - a) * g.nextDouble();
    }

    private static void circle(int n, double noise, Generator g, float[] x, float[] y) {
        double radius = 5;
        for (int i = 0; i < n; i++) {
            // half the points inside radius/2, half in the ring [0.7, 1]·radius; labels come from the noisy position
            boolean inner = i < n / 2;
            double r = inner ? uniform(g, 0, radius * 0.5) : uniform(g, radius * 0.7, radius);
            double angle = uniform(g, 0, 2 * Math.PI);
            double px = r * Math.sin(angle), py = r * Math.cos(angle);
            double nx = uniform(g, -radius, radius) * noise, ny = uniform(g, -radius, radius) * noise;
            x[2 * i] = (float) px;
            x[2 * i + 1] = (float) py;
            y[i] = Math.hypot(px + nx, py + ny) < radius * 0.5 ? 1 : -1;
        }
    }

    private static void xor(int n, double noise, Generator g, float[] x, float[] y) {
        double pad = 0.3;
        for (int i = 0; i < n; i++) {
            double px = uniform(g, -5, 5), py = uniform(g, -5, 5);
            px += px > 0 ? pad : -pad; // keep points off the axes, where the label flips
            py += py > 0 ? pad : -pad;
            double nx = uniform(g, -5, 5) * noise, ny = uniform(g, -5, 5) * noise;
            x[2 * i] = (float) px;
            x[2 * i + 1] = (float) py;
            y[i] = (px + nx) * (py + ny) >= 0 ? 1 : -1;
        }
    }

    private static void gaussian(int n, double noise, Generator g, float[] x, float[] y) {
        double variance = 0.5 + (4 - 0.5) * (noise / 0.5);
        double sd = Math.sqrt(Math.max(variance, 0));
        for (int i = 0; i < n; i++) {
            boolean pos = i < n / 2;
            double c = pos ? 2 : -2;
            x[2 * i] = (float) (c + sd * g.nextGaussian());
            x[2 * i + 1] = (float) (c + sd * g.nextGaussian());
            y[i] = pos ? 1 : -1;
        }
    }

    private static void spiral(int n, double noise, Generator g, float[] x, float[] y) {
        int half = n / 2;
        for (int i = 0; i < n; i++) {
            boolean pos = i < half;
            int k = pos ? i : i - half;
            int m = pos ? half : n - half;
            double r = (double) k / m * 5;
            double t = 1.75 * k / m * 2 * Math.PI + (pos ? 0 : Math.PI);
            x[2 * i] = (float) (r * Math.sin(t) + uniform(g, -1, 1) * noise);
            x[2 * i + 1] = (float) (r * Math.cos(t) + uniform(g, -1, 1) * noise);
            y[i] = pos ? 1 : -1;
        }
    }

    private static void plane(int n, double noise, Generator g, float[] x, float[] y) {
        double radius = 6;
        for (int i = 0; i < n; i++) {
            double px = uniform(g, -radius, radius), py = uniform(g, -radius, radius);
            double nx = uniform(g, -radius, radius) * noise, ny = uniform(g, -radius, radius) * noise;
            x[2 * i] = (float) px;
            x[2 * i + 1] = (float) py;
            y[i] = (float) Math.max(-1, Math.min(1, (px + nx + py + ny) / 10));
        }
    }

    private static void regressGaussian(int n, double noise, Generator g, float[] x, float[] y) {
        double[][] centers = {{-4, 2.5, 1}, {0, 2.5, -1}, {4, 2.5, 1}, {-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1}};
        double radius = 6;
        for (int i = 0; i < n; i++) {
            double px = uniform(g, -radius, radius), py = uniform(g, -radius, radius);
            double nx = uniform(g, -radius, radius) * noise, ny = uniform(g, -radius, radius) * noise;
            double best = 0;
            for (double[] c : centers) {
                double d = Math.hypot(px + nx - c[0], py + ny - c[1]);
                double v = c[2] * Math.max(0, 1 - d / 2); // 1 at the centre, 0 from distance 2 on
                if (Math.abs(v) > Math.abs(best)) best = v;
            }
            x[2 * i] = (float) px;
            x[2 * i + 1] = (float) py;
            y[i] = (float) best;
        }
    }
}
