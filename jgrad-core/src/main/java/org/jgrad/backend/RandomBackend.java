package org.jgrad.backend;

/**
 * Random fills from a generator's stream (uniform, normal, Bernoulli masks), reproducible for a given seed and state.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuRandom}.
 */
public interface RandomBackend {
}
