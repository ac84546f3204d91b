package org.jgrad.backend.cpu;

import org.jgrad.backend.PoolBackend;

/** {@link PoolBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuPool implements PoolBackend {
}
