package org.jgrad.backend;

/**
 * Pooling: max/average pooling (with indices for max), adaptive pooling, their backward passes.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuPool}.
 */
public interface PoolBackend {
}
