package org.jgrad.backend.cpu;

import static org.jgrad.backend.cpu.CpuStorages.floats;

import org.jgrad.backend.OptimizerBackend;
import org.jgrad.backend.Storage;
import org.jgrad.kernels.OptimizerLoops;

/** {@link OptimizerBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuOptimizer implements OptimizerBackend {

    @Override
    public void sgd(Storage param, Storage grad, Storage momentumBuffer, int length, boolean firstStep, SgdStep s) {
        OptimizerLoops.sgd(floats(param), floats(grad), floats(momentumBuffer), length, firstStep, s.lr(), s.momentum(),
                s.dampening(), s.weightDecay(), s.l1Decay(), s.nesterov(), s.maximize());
    }

    @Override
    public void adam(Storage param, Storage grad, Storage expAvg, Storage expAvgSq, Storage maxExpAvgSq, int length,
            AdamStep s) {
        OptimizerLoops.adam(floats(param), floats(grad), floats(expAvg), floats(expAvgSq), floats(maxExpAvgSq), length,
                s.lr(), s.beta1(), s.beta2(), s.eps(), s.weightDecay(), s.maximize(), s.decoupledWeightDecay(), s.t());
    }

    @Override
    public void rmsprop(Storage param, Storage grad, Storage squareAvg, Storage gradAvg, Storage momentumBuffer,
            int length, RmspropStep s) {
        OptimizerLoops.rmsprop(floats(param), floats(grad), floats(squareAvg), floats(gradAvg), floats(momentumBuffer),
                length, s.lr(), s.alpha(), s.eps(), s.weightDecay(), s.momentum(), s.maximize());
    }

    @Override
    public void adagrad(Storage param, Storage grad, Storage sum, int length, AdagradStep s) {
        OptimizerLoops.adagrad(floats(param), floats(grad), floats(sum), length, s.lr(), s.lrDecay(), s.eps(),
                s.weightDecay(), s.maximize(), s.t());
    }

    @Override
    public double normAccumulate(Storage values, int offset, int length, double normType, double acc) {
        return OptimizerLoops.normAccumulate(floats(values), offset, length, normType, acc);
    }

    @Override
    public void clampInPlace(Storage values, int offset, int length, float limit) {
        OptimizerLoops.clamp(floats(values), offset, length, limit);
    }
}
