package org.jgrad.backend.cpu;

import org.jgrad.backend.ActivationBackend;
import org.jgrad.backend.Backend;
import org.jgrad.backend.ConvBackend;
import org.jgrad.backend.ElementwiseBackend;
import org.jgrad.backend.IndexBackend;
import org.jgrad.backend.LinalgBackend;
import org.jgrad.backend.LossBackend;
import org.jgrad.backend.NormBackend;
import org.jgrad.backend.OptimizerBackend;
import org.jgrad.backend.PoolBackend;
import org.jgrad.backend.RandomBackend;
import org.jgrad.backend.ReductionBackend;
import org.jgrad.kernels.JitWarmUp;
import org.jgrad.kernels.Kernels;

/**
 * The CPU backends: heap storages and the loops of {@code org.jgrad.kernels}. Its two forms differ
 * only in the innermost loops, which {@link Kernels} picks once per JVM (Vector API or plain Java):
 * {@link VectorCpuBackend} is available when those are the Vector API ones, {@link ScalarCpuBackend}
 * when they are not, so the backend chosen and the loops that run always agree.
 */
abstract sealed class CpuBackend implements Backend permits VectorCpuBackend, ScalarCpuBackend {
    private final ActivationBackend activations = new CpuActivation();
    private final ElementwiseBackend elementwise = new CpuElementwise();
    private final ReductionBackend reductions = new CpuReduction();
    private final IndexBackend indexing = new CpuIndex();
    private final LinalgBackend linalg = new CpuLinalg();
    private final LossBackend losses = new CpuLoss();
    private final NormBackend norms = new CpuNorm();
    private final PoolBackend pooling = new CpuPool();
    private final ConvBackend conv = new CpuConv();
    private final OptimizerBackend optimizers = new CpuOptimizer();
    private final RandomBackend random = new CpuRandom();

    @Override
    public String description() {
        return name() + ": " + Kernels.implementation();
    }

    @Override
    public void warmUpInBackground() {
        JitWarmUp.startInBackground();
    }

    @Override public ActivationBackend activations() { return activations; }
    @Override public ElementwiseBackend elementwise() { return elementwise; }
    @Override public ReductionBackend reductions() { return reductions; }
    @Override public IndexBackend indexing() { return indexing; }
    @Override public LinalgBackend linalg() { return linalg; }
    @Override public LossBackend losses() { return losses; }
    @Override public NormBackend norms() { return norms; }
    @Override public PoolBackend pooling() { return pooling; }
    @Override public ConvBackend conv() { return conv; }
    @Override public OptimizerBackend optimizers() { return optimizers; }
    @Override public RandomBackend random() { return random; }
}
