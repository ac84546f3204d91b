package org.jgrad.backend;

/**
 * Fused optimizer updates over a parameter, its gradient and its state (SGD with momentum/Nesterov/weight decay, Adam/AdamW, RMSprop, Adagrad, ...).
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuOptimizer}.
 */
public interface OptimizerBackend {
}
