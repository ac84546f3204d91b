package org.jgrad.backend.cpu;

import org.jgrad.backend.OptimizerBackend;

/** {@link OptimizerBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuOptimizer implements OptimizerBackend {
}
