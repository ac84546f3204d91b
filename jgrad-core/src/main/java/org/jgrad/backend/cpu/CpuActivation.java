package org.jgrad.backend.cpu;

import static org.jgrad.backend.cpu.CpuStorages.floats;

import org.jgrad.backend.ActivationBackend;
import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.Storage;
import org.jgrad.kernels.ActivationLoops;

/** {@link ActivationBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuActivation implements ActivationBackend {

    @Override
    public Storage relu6(Storage x, int xOff, int n) {
        float[] out = new float[n];
        ActivationLoops.relu6(floats(x), xOff, n, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage relu6Backward(Storage g, int gOff, Storage x, int xOff, int n) {
        float[] gi = new float[n];
        ActivationLoops.relu6Backward(floats(g), gOff, floats(x), xOff, n, gi);
        return FloatStorage.wrap(gi);
    }

    @Override
    public Storage leakyRelu(Storage x, int xOff, int n, float slope) {
        float[] out = new float[n];
        ActivationLoops.leakyRelu(floats(x), xOff, n, slope, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage leakyReluBackward(Storage g, int gOff, Storage x, int xOff, int n, float slope) {
        float[] gi = new float[n];
        ActivationLoops.leakyReluBackward(floats(g), gOff, floats(x), xOff, n, slope, gi);
        return FloatStorage.wrap(gi);
    }

    @Override
    public Storage rrelu(Storage x, int xOff, Storage slopes, int sOff, int n) {
        float[] out = new float[n];
        ActivationLoops.rrelu(floats(x), xOff, floats(slopes), sOff, n, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage rreluBackward(Storage g, int gOff, Storage x, int xOff, Storage slopes, int sOff, int n) {
        float[] gi = new float[n];
        ActivationLoops.rreluBackward(floats(g), gOff, floats(x), xOff, floats(slopes), sOff, n, gi);
        return FloatStorage.wrap(gi);
    }

    @Override
    public Storage elu(Storage x, int xOff, int n, float alpha) {
        float[] out = new float[n];
        ActivationLoops.elu(floats(x), xOff, n, alpha, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage eluBackward(Storage g, int gOff, Storage x, int xOff, Storage y, int n, float alpha) {
        float[] gi = new float[n];
        ActivationLoops.eluBackward(floats(g), gOff, floats(x), xOff, floats(y), n, alpha, gi);
        return FloatStorage.wrap(gi);
    }

    @Override
    public Storage softplus(Storage x, int xOff, int n, float beta, float threshold) {
        float[] out = new float[n];
        ActivationLoops.softplus(floats(x), xOff, n, beta, threshold, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage softplusBackward(Storage g, int gOff, Storage x, int xOff, int n, float beta, float threshold) {
        float[] gi = new float[n];
        ActivationLoops.softplusBackward(floats(g), gOff, floats(x), xOff, n, beta, threshold, gi);
        return FloatStorage.wrap(gi);
    }

    @Override
    public Storage gelu(Storage x, int xOff, int n, boolean tanhApproximation) {
        float[] out = new float[n];
        ActivationLoops.gelu(floats(x), xOff, n, tanhApproximation, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage geluBackward(Storage g, int gOff, Storage x, int xOff, int n, boolean tanhApproximation) {
        float[] gi = new float[n];
        ActivationLoops.geluBackward(floats(g), gOff, floats(x), xOff, n, tanhApproximation, gi);
        return FloatStorage.wrap(gi);
    }

    @Override
    public Storage silu(Storage x, int xOff, int n) {
        float[] out = new float[n];
        ActivationLoops.silu(floats(x), xOff, n, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage siluBackward(Storage g, int gOff, Storage x, int xOff, int n) {
        float[] gi = new float[n];
        ActivationLoops.siluBackward(floats(g), gOff, floats(x), xOff, n, gi);
        return FloatStorage.wrap(gi);
    }

    @Override
    public Storage step(Storage x, int xOff, int n, float threshold) {
        float[] out = new float[n];
        ActivationLoops.step(floats(x), xOff, n, threshold, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage softmax(Storage x, int xOff, int outer, int len, int inner, boolean log) {
        float[] out = new float[outer * len * inner];
        ActivationLoops.softmax(floats(x), xOff, outer, len, inner, log, out);
        return FloatStorage.wrap(out);
    }

    @Override
    public Storage softmaxBackward(Storage g, int gOff, Storage y, int outer, int len, int inner, boolean log) {
        float[] gi = new float[outer * len * inner];
        ActivationLoops.softmaxBackward(floats(g), gOff, floats(y), outer, len, inner, log, gi);
        return FloatStorage.wrap(gi);
    }
}
