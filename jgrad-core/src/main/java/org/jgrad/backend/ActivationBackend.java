package org.jgrad.backend;

/**
 * Activation functions and their backward passes (ReLU family, sigmoid/tanh, GELU, softmax and log-softmax rows, ...).
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuActivation}.
 */
public interface ActivationBackend {
}
