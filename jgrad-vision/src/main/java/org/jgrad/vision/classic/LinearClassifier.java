package org.jgrad.vision.classic;

import org.jgrad.backend.Backends;
import org.jgrad.backend.FloatStorage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * The linear classifier {@code f(x) = Wx + b} of the lectures, trained by minibatch stochastic gradient
 * descent on a {@link LinearLoss} with L2 regularisation λ·ΣW². Predicts the class of highest score.
 */
public final class LinearClassifier {
    private final int classes, dim;
    private final float[] w, b;

    /** Weights from N(0, 0.001²) (cs231n's start: small enough that no class is favoured), biases 0. */
    public LinearClassifier(int classes, int dim, Generator gen) {
        if (classes < 2 || dim < 1)
            throw new IllegalArgumentException("linear classifier: need >= 2 classes and >= 1 feature, got " + classes
                    + " and " + dim);
        this.classes = classes;
        this.dim = dim;
        this.w = new float[classes * dim];
        this.b = new float[classes];
        for (int i = 0; i < w.length; i++) w[i] = (float) (0.001 * gen.nextGaussian());
    }

    /** A classifier with the given weights W [C, D] and biases b [C], copied. */
    public LinearClassifier(Tensor weight, Tensor bias) {
        if (weight.dim() != 2 || bias.dim() != 1 || bias.size(0) != weight.size(0) || weight.size(0) < 2
                || weight.size(1) < 1)
            throw new IllegalArgumentException("linear classifier: expected W [C, D] and b [C] with C >= 2, D >= 1; got "
                    + Shape.str(weight.shape()) + " and " + Shape.str(bias.shape()));
        this.classes = weight.size(0);
        this.dim = weight.size(1);
        this.w = Distances.values(weight);
        this.b = Distances.values(bias);
    }

    /** The weights W [C, D] (live, as {@code nn.Linear.weight}: training updates them). */
    public Tensor weight() {
        return TensorData.wrap(w, classes, dim);
    }

    /** The biases b [C] (live). */
    public Tensor bias() {
        return TensorData.wrap(b, classes);
    }

    /** Number of classes C. */
    public int classes() {
        return classes;
    }

    /**
     * Loss and gradients on a batch of {@code inputs} [N, ...] (each sample flattened) with int64 labels
     * {@code targets} [N], without changing the parameters.
     */
    public LinearLoss.Result loss(LinearLoss loss, Tensor inputs, Tensor targets, double lambda) {
        return loss.evaluate(weight(), bias(), inputs, targets, lambda);
    }

    /**
     * Trains by minibatch SGD: each epoch shuffles the samples of {@code inputs} [N, ...] (each
     * flattened to D values) and their int64 labels {@code targets} [N] with {@code gen} and takes a step
     * {@code θ ← θ − lr·∇L} per batch of {@code batchSize}.
     *
     * @return the mean total loss (data + regularisation) of each epoch's batches
     */
    public double[] fit(Tensor inputs, Tensor targets, LinearLoss loss, double lambda, int epochs, double lr,
            int batchSize, Generator gen) {
        if (inputs.dim() < 1 || targets.dim() != 1 || inputs.size(0) != targets.size(0))
            throw new IllegalArgumentException("linear fit: expected inputs [N, ...] and labels [N], got "
                    + Shape.str(inputs.shape()) + " and " + Shape.str(targets.shape()));
        return fit(Distances.values(inputs), inputs.size(0), KNearestNeighbors.toInts(targets), loss, lambda, epochs, lr,
                batchSize, gen);
    }

    double[] fit(float[] x, int n, int[] y, LinearLoss loss, double lambda, int epochs, double lr,
            int batchSize, Generator gen) {
        if (x.length != n * dim || y.length != n || n < 1)
            throw new IllegalArgumentException("linear fit: expected n·" + dim + " values and n labels, got " + x.length
                    + " and " + y.length);
        if (epochs < 0 || !(lr > 0) || batchSize < 1 || !(lambda >= 0))
            throw new IllegalArgumentException("linear fit: need epochs >= 0, lr > 0, batch size >= 1, lambda >= 0; got "
                    + epochs + ", " + lr + ", " + batchSize + ", " + lambda);
        double[] history = new double[epochs];
        float[] bx = new float[Math.min(batchSize, n) * dim];
        int[] by = new int[Math.min(batchSize, n)];
        for (int e = 0; e < epochs; e++) {
            long[] perm = Tensor.randperm(gen, n).toLongArray();
            double sum = 0;
            int batches = 0;
            for (int s = 0; s < n; s += batchSize) {
                int m = Math.min(batchSize, n - s);
                for (int i = 0; i < m; i++) {
                    int r = (int) perm[s + i];
                    System.arraycopy(x, r * dim, bx, i * dim, dim);
                    by[i] = y[r];
                }
                float[] xb = m == by.length ? bx : java.util.Arrays.copyOf(bx, m * dim);
                int[] yb = m == by.length ? by : java.util.Arrays.copyOf(by, m);
                LinearLoss.Raw r = loss.evaluate(w, b, classes, dim, xb, m, yb, lambda);
                if (!Double.isFinite(r.total()))
                    throw new ArithmeticException("linear fit: loss became " + r.total() + " in epoch " + (e + 1)
                            + " (learning rate " + lr + " too large?)");
                float[] gw = r.gradW(), gb = r.gradB();
                for (int i = 0; i < w.length; i++) w[i] -= (float) (lr * gw[i]);
                for (int c = 0; c < classes; c++) b[c] -= (float) (lr * gb[c]);
                sum += r.total();
                batches++;
            }
            history[e] = sum / batches;
        }
        return history;
    }

    /** The class of highest score for each of the n rows of {@code x}. */
    int[] predict(float[] x, int n) {
        if (x.length != n * dim)
            throw new IllegalArgumentException("linear predict: expected " + n + "·" + dim + " values, got " + x.length);
        float[] s = new float[n * classes];
        for (int i = 0; i < n; i++) System.arraycopy(b, 0, s, i * classes, classes);
        Backends.current().linalg().gemm(false, true, n, classes, dim, 1f, FloatStorage.wrap(x), 0, dim, FloatStorage.wrap(w),
                0, dim, 1f, FloatStorage.wrap(s), 0, classes);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (s[i * classes + c] > s[i * classes + best]) best = c;
            out[i] = best;
        }
        return out;
    }

    /** Predicted int64 labels [N] for inputs [N, ...] (each sample flattened). */
    public Tensor predict(Tensor inputs) {
        int n = inputs.size(0);
        if (inputs.numel() != (long) n * dim)
            throw new IllegalArgumentException("linear predict: inputs " + Shape.str(inputs.shape()) + " do not have "
                    + dim + " features per sample");
        int[] p = predict(inputs.detach().contiguous().toFloatArray(), n);
        long[] l = new long[n];
        for (int i = 0; i < n; i++) l[i] = p[i];
        return TensorData.wrapLongs(l, n);
    }
}
