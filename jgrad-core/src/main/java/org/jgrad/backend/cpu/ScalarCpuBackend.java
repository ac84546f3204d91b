package org.jgrad.backend.cpu;

import org.jgrad.kernels.Kernels;

/**
 * The plain-Java CPU backend ({@code -Djgrad.backend=cpu-scalar}): what runs when the JVM lacks
 * {@code jdk.incubator.vector}. The core suite runs on it too ({@code -Pno-vector}).
 */
public final class ScalarCpuBackend extends CpuBackend {
    /** Made by {@link java.util.ServiceLoader}. */
    public ScalarCpuBackend() {}

    @Override
    public String name() {
        return "cpu-scalar";
    }

    @Override
    public String unavailableReason() {
        return Kernels.vectorUnavailableReason() == null
                ? "the Vector API kernels run in this JVM (start it with -Djgrad.backend=cpu-scalar for plain Java)"
                : null;
    }

    @Override
    public int priority() {
        return 10;
    }
}
