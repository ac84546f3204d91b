package org.jgrad.backend.cpu;

import org.jgrad.backend.LossBackend;

/** {@link LossBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuLoss implements LossBackend {
}
