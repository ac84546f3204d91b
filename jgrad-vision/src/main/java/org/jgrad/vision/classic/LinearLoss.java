package org.jgrad.vision.classic;

import org.jgrad.backend.Backends;
import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LinalgBackend;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * The two losses of the lectures' linear classifier {@code s = Wx + b}, each with its closed-form,
 * vectorised gradient (scores are one GEMM, the weight gradient another):
 * <ul>
 *   <li>{@link #SVM}: the Weston–Watkins multiclass hinge loss {@code L_i = Σ_{j≠y} max(0, s_j − s_y + 1)}</li>
 *   <li>{@link #SOFTMAX}: cross-entropy of the softmax, {@code L_i = −log(e^{s_y} / Σ_j e^{s_j})}</li>
 * </ul>
 * The total is {@code (1/N) Σ_i L_i + λ·Σ W²} — the data loss plus L2 regularisation of the weights
 * only, not the biases (cs231n's convention: the demo's W = [[1,2],[2,−4],[3,−1]], λ = 0.1 gives
 * regularisation loss 3.50 = 0.1·35; counting b² would give 3.55, and ½λΣW² would give 1.75).
 *
 * <p>The demo's gradient table is another matter: its b gradients are the data-loss gradients, but
 * its W gradients equal {@code ∂dataLoss/∂W + (λ/2)·W} (w[0,0]: −0.433 + 0.05 = −0.38), which is
 * neither the data gradient alone (−0.43) nor the gradient {@code + 2λW} of the loss it displays
 * (−0.23). {@link Result#gradW} is the true gradient of the displayed total; the test shows how the
 * demo's numbers arise from {@link Result#dataGradW}.
 */
public enum LinearLoss {
    /** Weston–Watkins multiclass hinge loss with margin 1. */
    SVM,
    /** Softmax cross-entropy (multinomial logistic regression). */
    SOFTMAX;

    /** Parses "svm"/"hinge" or "softmax"/"cross-entropy"/"ce", case-insensitively. */
    public static LinearLoss of(String s) {
        return switch (s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "svm", "hinge", "multiclass-svm" -> SVM;
            case "softmax", "cross-entropy", "ce" -> SOFTMAX;
            default -> throw new IllegalArgumentException("loss must be svm or softmax, got '" + s + "'");
        };
    }

    /**
     * Loss and gradients for a batch.
     *
     * @param scores [n, C] class scores
     * @param perSample [n] L_i
     * @param dataLoss mean of L_i
     * @param regLoss λ·ΣW²
     * @param dataGradW ∂dataLoss/∂W [C, D] (what backprop of the data loss alone gives)
     * @param gradW ∂(dataLoss + regLoss)/∂W = dataGradW + 2λW, [C, D]
     * @param gradB ∂dataLoss/∂b [C] (b is not regularised)
     */
    public record Result(Tensor scores, double[] perSample, double dataLoss, double regLoss, Tensor dataGradW,
            Tensor gradW, Tensor gradB) {
        /** dataLoss + regLoss. */
        public double total() {
            return dataLoss + regLoss;
        }
    }

    /** {@link Result} as row-major arrays, for the training loop. */
    record Raw(float[] scores, double[] perSample, double dataLoss, double regLoss, float[] dataGradW, float[] gradW,
            float[] gradB) {
        double total() {
            return dataLoss + regLoss;
        }

        Result toResult(int n, int classes, int dim) {
            return new Result(TensorData.wrap(scores, n, classes), perSample, dataLoss, regLoss,
                    TensorData.wrap(dataGradW, classes, dim), TensorData.wrap(gradW, classes, dim),
                    TensorData.wrap(gradB, classes));
        }
    }

    /**
     * Evaluates the loss of the weights {@code weight} [C, D] and biases {@code bias} [C] on
     * {@code inputs} [N, ...] (each sample flattened to D values) with int64 labels {@code targets} [N],
     * and its gradient.
     */
    public Result evaluate(Tensor weight, Tensor bias, Tensor inputs, Tensor targets, double lambda) {
        if (weight.dim() != 2 || bias.dim() != 1 || targets.dim() != 1 || inputs.dim() < 1
                || inputs.size(0) != targets.size(0))
            throw new IllegalArgumentException("linear loss: expected W [C, D], b [C], inputs [N, ...] and labels [N]; got "
                    + Shape.str(weight.shape()) + ", " + Shape.str(bias.shape()) + ", " + Shape.str(inputs.shape()) + " and "
                    + Shape.str(targets.shape()));
        int classes = weight.size(0), dim = weight.size(1), n = inputs.size(0);
        return evaluate(Distances.values(weight), Distances.values(bias), classes, dim, Distances.values(inputs), n,
                KNearestNeighbors.toInts(targets), lambda).toResult(n, classes, dim);
    }

    /** {@link #evaluate(Tensor, Tensor, Tensor, Tensor, double)} on row-major arrays. */
    Raw evaluate(float[] w, float[] b, int classes, int dim, float[] x, int n, int[] y, double lambda) {
        if (w.length != classes * dim || b.length != classes || x.length != n * dim || y.length != n || n < 1)
            throw new IllegalArgumentException("linear loss: expected W [" + classes + " x " + dim + "], b [" + classes
                    + "], x [n x " + dim + "] and n labels with n >= 1; got " + w.length + ", " + b.length + ", "
                    + x.length + " and " + y.length + " values");
        float[] s = new float[n * classes];
        for (int i = 0; i < n; i++) System.arraycopy(b, 0, s, i * classes, classes);
        LinalgBackend linalg = Backends.current().linalg();
        FloatStorage xs = FloatStorage.wrap(x);
        linalg.gemm(false, true, n, classes, dim, 1f, xs, 0, dim, FloatStorage.wrap(w), 0, dim, 1f, FloatStorage.wrap(s), 0,
                classes);
        float[] ds = new float[n * classes];
        double[] li = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int yi = y[i];
            if (yi < 0 || yi >= classes)
                throw new IllegalArgumentException("linear loss: label " + yi + " of sample " + i + " is not in 0.."
                        + (classes - 1));
            li[i] = this == SVM ? svmRow(s, ds, i * classes, classes, yi, n) : softmaxRow(s, ds, i * classes, classes, yi, n);
            sum += li[i];
        }
        float[] dw = new float[classes * dim];
        linalg.gemm(true, false, classes, dim, n, 1f, FloatStorage.wrap(ds), 0, classes, xs, 0, dim, 0f, FloatStorage.wrap(dw),
                0, dim);
        float[] db = new float[classes];
        for (int i = 0; i < n; i++) for (int c = 0; c < classes; c++) db[c] += ds[i * classes + c];
        double reg = 0;
        float[] gw = new float[dw.length];
        for (int i = 0; i < w.length; i++) {
            reg += (double) w[i] * w[i];
            gw[i] = (float) (dw[i] + 2 * lambda * w[i]);
        }
        return new Raw(s, li, sum / n, lambda * reg, dw, gw, db);
    }

    /** Hinge loss of one row; writes ∂L/∂s (already divided by n) into ds. */
    private static double svmRow(float[] s, float[] ds, int o, int c, int y, int n) {
        double loss = 0, sy = s[o + y];
        int active = 0;
        for (int j = 0; j < c; j++) {
            if (j == y) continue;
            double m = s[o + j] - sy + 1;
            if (m > 0) {
                loss += m;
                ds[o + j] = 1f / n;
                active++;
            }
        }
        ds[o + y] = -(float) active / n;
        return loss;
    }

    /** Cross-entropy of one row, stabilised by subtracting the max score; ∂L/∂s = (p − onehot)/n. */
    private static double softmaxRow(float[] s, float[] ds, int o, int c, int y, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) max = Math.max(max, s[o + j]);
        double z = 0;
        for (int j = 0; j < c; j++) z += Math.exp(s[o + j] - max);
        for (int j = 0; j < c; j++) ds[o + j] = (float) (Math.exp(s[o + j] - max) / z / n);
        ds[o + y] -= 1f / n;
        return Math.log(z) - (s[o + y] - max);
    }
}
