package org.jgrad.backend.cpu;

import org.jgrad.backend.LinalgBackend;

/** {@link LinalgBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuLinalg implements LinalgBackend {
}
