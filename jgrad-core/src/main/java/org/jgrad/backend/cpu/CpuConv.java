package org.jgrad.backend.cpu;

import org.jgrad.backend.ConvBackend;

/** {@link ConvBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuConv implements ConvBackend {
}
