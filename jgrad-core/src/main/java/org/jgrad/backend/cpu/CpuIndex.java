package org.jgrad.backend.cpu;

import org.jgrad.backend.IndexBackend;

/** {@link IndexBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuIndex implements IndexBackend {
}
