package org.jgrad.backend.cpu;

import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LongStorage;
import org.jgrad.backend.LossBackend;
import org.jgrad.backend.Storage;
import org.jgrad.kernels.LossLoops;

/** {@link LossBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuLoss implements LossBackend {

    /** Each row's log Σ exp, kept in double between a softmax loss's forward and backward. */
    private record LogSumExp(double[] rows) implements Storage {
        @Override
        public int length() {
            return rows.length;
        }

        @Override
        public String dtype() {
            return "float64";
        }
    }

    private static float[] f(Storage s) {
        return s == null ? null : ((FloatStorage) s).array();
    }

    private static long[] l(Storage s) {
        return ((LongStorage) s).array();
    }

    private static double[] lse(Storage s) {
        return ((LogSumExp) s).rows();
    }

    private static FloatStorage orNull(float[] a) {
        return a == null ? null : FloatStorage.wrap(a);
    }

    @Override
    public SoftmaxLoss crossEntropy(Storage x, int xOff, Storage y, int yOff, Storage weight, int wOff, int rows,
            int classes, int inner, long ignoreIndex, double eps) {
        double[] lse = new double[rows];
        LossLoops.logSumExpRows(f(x), xOff, rows, classes, inner, lse);
        float[] out = new float[rows];
        LossLoops.crossEntropy(f(x), xOff, l(y), yOff, f(weight), wOff, lse, rows, classes, inner, ignoreIndex, eps, out);
        return new SoftmaxLoss(FloatStorage.wrap(out), new LogSumExp(lse));
    }

    @Override
    public Storage crossEntropyBackward(Storage g, int gOff, Storage x, int xOff, Storage y, int yOff, Storage weight,
            int wOff, Storage logSumExp, int rows, int classes, int inner, long ignoreIndex, double eps) {
        float[] gx = new float[rows * classes];
        LossLoops.crossEntropyBackward(f(g), gOff, f(x), xOff, l(y), yOff, f(weight), wOff, lse(logSumExp), rows, classes,
                inner, ignoreIndex, eps, gx);
        return FloatStorage.wrap(gx);
    }

    @Override
    public SoftmaxLoss crossEntropyProbs(Storage x, int xOff, Storage t, int tOff, Storage weight, int wOff, int rows,
            int classes, int inner, double eps) {
        double[] lse = new double[rows];
        LossLoops.logSumExpRows(f(x), xOff, rows, classes, inner, lse);
        float[] out = new float[rows];
        LossLoops.crossEntropyProbs(f(x), xOff, f(t), tOff, f(weight), wOff, lse, rows, classes, inner, eps, out);
        return new SoftmaxLoss(FloatStorage.wrap(out), new LogSumExp(lse));
    }

    @Override
    public InputTargetGrads crossEntropyProbsBackward(Storage g, int gOff, Storage x, int xOff, Storage t, int tOff,
            Storage weight, int wOff, Storage logSumExp, int rows, int classes, int inner, double eps, boolean wantInput,
            boolean wantTarget) {
        float[] gx = wantInput ? new float[rows * classes] : null;
        float[] gt = wantTarget ? new float[rows * classes] : null;
        LossLoops.crossEntropyProbsBackward(f(g), gOff, f(x), xOff, f(t), tOff, f(weight), wOff, lse(logSumExp), rows,
                classes, inner, eps, gx, gt);
        return new InputTargetGrads(orNull(gx), orNull(gt));
    }

    @Override
    public Storage nll(Storage x, int xOff, Storage y, int yOff, Storage weight, int wOff, int rows, int classes,
            int inner, long ignoreIndex) {
        float[] out = new float[rows];
        LossLoops.nll(f(x), xOff, l(y), yOff, f(weight), wOff, rows, classes, inner, ignoreIndex, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage nllBackward(Storage g, int gOff, Storage y, int yOff, Storage weight, int wOff, int rows, int classes,
            int inner, long ignoreIndex, int length) {
        float[] gx = new float[length];
        LossLoops.nllBackward(f(g), gOff, l(y), yOff, f(weight), wOff, rows, classes, inner, ignoreIndex, gx);
        return FloatStorage.wrap(gx);
    }

    @Override
    public double weightedCount(Storage y, int yOff, int length, Storage weight, int wOff, long ignoreIndex) {
        return LossLoops.weightedCount(l(y), yOff, length, f(weight), wOff, ignoreIndex);
    }

    @Override
    public int firstBadTarget(Storage y, int yOff, int length, int classes, long ignoreIndex) {
        return LossLoops.firstBadTarget(l(y), yOff, length, classes, true, ignoreIndex);
    }

    @Override
    public int firstBadTarget(Storage y, int yOff, int length, int classes) {
        return LossLoops.firstBadTarget(l(y), yOff, length, classes, false, 0);
    }

    @Override
    public int firstOutsideUnit(Storage p, int pOff, int length) {
        return LossLoops.firstOutsideUnit(f(p), pOff, length);
    }

    @Override
    public Storage bce(Storage p, int pOff, Storage t, int tOff, Storage weight, int wOff, int length) {
        float[] out = new float[length];
        LossLoops.bce(f(p), pOff, f(t), tOff, f(weight), wOff, length, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public InputTargetGrads bceBackward(Storage g, int gOff, Storage p, int pOff, Storage t, int tOff, Storage weight,
            int wOff, int length, boolean wantInput, boolean wantTarget) {
        float[] gp = wantInput ? new float[length] : null;
        float[] gt = wantTarget ? new float[length] : null;
        LossLoops.bceBackward(f(g), gOff, f(p), pOff, f(t), tOff, f(weight), wOff, length, gp, gt);
        return new InputTargetGrads(orNull(gp), orNull(gt));
    }

    @Override
    public Storage bceWithLogits(Storage x, int xOff, Storage t, int tOff, Storage weight, int wOff, Storage posWeight,
            int pwOff, int length) {
        float[] out = new float[length];
        LossLoops.bceWithLogits(f(x), xOff, f(t), tOff, f(weight), wOff, f(posWeight), pwOff, length, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public InputTargetGrads bceWithLogitsBackward(Storage g, int gOff, Storage x, int xOff, Storage t, int tOff,
            Storage weight, int wOff, Storage posWeight, int pwOff, int length, boolean wantInput, boolean wantTarget) {
        float[] gx = wantInput ? new float[length] : null;
        float[] gt = wantTarget ? new float[length] : null;
        LossLoops.bceWithLogitsBackward(f(g), gOff, f(x), xOff, f(t), tOff, f(weight), wOff, f(posWeight), pwOff, length,
                gx, gt);
        return new InputTargetGrads(orNull(gx), orNull(gt));
    }

    @Override
    public Storage multiMargin(Storage x, int xOff, Storage y, int yOff, Storage weight, int wOff, int rows, int classes,
            int p, double margin, double scale) {
        float[] out = new float[rows];
        LossLoops.multiMargin(f(x), xOff, l(y), yOff, f(weight), wOff, rows, classes, p, margin, scale, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage multiMarginBackward(Storage g, int gOff, Storage x, int xOff, Storage y, int yOff, Storage weight,
            int wOff, int rows, int classes, int p, double margin, double scale) {
        float[] gx = new float[rows * classes];
        LossLoops.multiMarginBackward(f(g), gOff, f(x), xOff, l(y), yOff, f(weight), wOff, rows, classes, p, margin,
                scale, gx);
        return FloatStorage.wrap(gx);
    }
}
