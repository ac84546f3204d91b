package org.jgrad.backend.cpu;

import org.jgrad.backend.RandomBackend;

/** {@link RandomBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuRandom implements RandomBackend {
}
