package org.jgrad.backend.cpu;

import static org.jgrad.backend.cpu.CpuStorages.floats;

import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.NormBackend;
import org.jgrad.backend.Storage;
import org.jgrad.kernels.BatchNorm;
import org.jgrad.kernels.ChannelWindow;
import org.jgrad.kernels.LayerNormRows;

/** {@link NormBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuNorm implements NormBackend {

    /** C per-channel values from {@code off}: the array itself when it is exactly those, else a copy; null for null. */
    private static float[] perChannel(Storage s, int off, int c) {
        if (s == null) return null;
        float[] a = floats(s);
        return off == 0 && a.length == c ? a : java.util.Arrays.copyOfRange(a, off, off + c);
    }

    @Override
    public BatchNormForward batchNormTrain(Storage x, int xOff, int n, int c, int s, Storage gamma, int gammaOff,
            Storage beta, int betaOff, float eps, Storage residual, int residualOff, boolean relu) {
        float[] mean = new float[c], var = new float[c], uvar = new float[c], invStd = new float[c];
        float[] out = new float[n * c * s];
        BatchNorm.trainForward(floats(x), xOff, n, c, s, perChannel(gamma, gammaOff, c), perChannel(beta, betaOff, c), eps,
                mean, var, uvar, invStd, out, residual == null ? null : floats(residual), residualOff, relu);
        return new BatchNormForward(FloatStorage.wrap(out), FloatStorage.wrap(mean), FloatStorage.wrap(var),
                FloatStorage.wrap(uvar), FloatStorage.wrap(invStd));
    }

    @Override
    public BatchNormGradients batchNormTrainBackward(Storage g, int gOff, Storage x, int xOff, int n, int c, int s,
            Storage gamma, int gammaOff, Storage mean, Storage invStd, boolean needDx, Storage reluOut) {
        float[] dx = needDx ? new float[n * c * s] : null;
        float[] dgamma = new float[c], dbeta = new float[c];
        BatchNorm.trainBackward(floats(g), gOff, floats(x), xOff, n, c, s, perChannel(gamma, gammaOff, c), floats(mean),
                floats(invStd), dgamma, dbeta, dx, reluOut == null ? null : floats(reluOut));
        return new BatchNormGradients(dx == null ? null : FloatStorage.wrap(dx), FloatStorage.wrap(dgamma),
                FloatStorage.wrap(dbeta));
    }

    @Override
    public BatchNormForward batchNormEval(Storage x, int xOff, int n, int c, int s, Storage gamma, int gammaOff,
            Storage beta, int betaOff, Storage runningMean, int rmOff, Storage runningVar, int rvOff, float eps) {
        float[] invStd = new float[c];
        float[] out = new float[n * c * s];
        BatchNorm.evalForward(floats(x), xOff, n, c, s, perChannel(gamma, gammaOff, c), perChannel(beta, betaOff, c),
                perChannel(runningMean, rmOff, c), perChannel(runningVar, rvOff, c), eps, invStd, out);
        return new BatchNormForward(FloatStorage.wrap(out), null, null, null, FloatStorage.wrap(invStd));
    }

    @Override
    public BatchNormGradients batchNormEvalBackward(Storage g, int gOff, Storage x, int xOff, int n, int c, int s,
            Storage gamma, int gammaOff, Storage runningMean, int rmOff, Storage invStd, boolean needDx) {
        float[] dx = needDx ? new float[n * c * s] : null;
        float[] dgamma = new float[c], dbeta = new float[c];
        BatchNorm.evalBackward(floats(g), gOff, floats(x), xOff, n, c, s, perChannel(gamma, gammaOff, c),
                perChannel(runningMean, rmOff, c), floats(invStd), dgamma, dbeta, dx);
        return new BatchNormGradients(dx == null ? null : FloatStorage.wrap(dx), FloatStorage.wrap(dgamma),
                FloatStorage.wrap(dbeta));
    }

    @Override
    public Storage channelWindowSum(Storage x, int xOff, int n, int c, int s, int before, int after) {
        float[] out = new float[n * c * s];
        ChannelWindow.sum(floats(x), xOff, n, c, s, before, after, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public void layerNorm(Storage x, int xOff, int rows, int d, Storage w, int wOff, Storage b, int bOff, float eps,
            Storage y, Storage mean, Storage rstd) {
        LayerNormRows.forward(floats(x), xOff, rows, d, floats(w), wOff, floats(b), bOff, eps, floats(y), floats(mean),
                floats(rstd));
    }

    @Override
    public void layerNormBackward(Storage g, int gOff, Storage x, int xOff, int rows, int d, Storage w, int wOff,
            Storage mean, Storage rstd, Storage dx, Storage dw, Storage db) {
        LayerNormRows.backward(floats(g), gOff, floats(x), xOff, rows, d, floats(w), wOff, floats(mean), floats(rstd),
                floats(dx), floats(dw), floats(db));
    }
}
