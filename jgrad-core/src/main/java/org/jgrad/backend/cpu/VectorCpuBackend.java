package org.jgrad.backend.cpu;

import org.jgrad.kernels.Kernels;

/** The CPU backend on the Vector API ({@code -Djgrad.backend=cpu}); the default where it can run. */
public final class VectorCpuBackend extends CpuBackend {
    /** Made by {@link java.util.ServiceLoader}. */
    public VectorCpuBackend() {}

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String unavailableReason() {
        return Kernels.vectorUnavailableReason();
    }

    @Override
    public int priority() {
        return 100;
    }
}
