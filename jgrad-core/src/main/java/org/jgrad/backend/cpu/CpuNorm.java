package org.jgrad.backend.cpu;

import org.jgrad.backend.NormBackend;

/** {@link NormBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuNorm implements NormBackend {
}
