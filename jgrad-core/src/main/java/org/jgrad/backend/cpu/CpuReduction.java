package org.jgrad.backend.cpu;

import org.jgrad.backend.ReductionBackend;

/** {@link ReductionBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuReduction implements ReductionBackend {
}
