package org.jgrad.backend;

/**
 * Loss functions and their gradients (cross-entropy, NLL, binary cross-entropy, MSE/L1/smooth L1, margin losses).
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuLoss}.
 */
public interface LossBackend {
}
