package org.jgrad.backend.cpu;

import org.jgrad.backend.ActivationBackend;

/** {@link ActivationBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuActivation implements ActivationBackend {
}
