package org.jgrad.backend;

/**
 * Reductions: sum, mean, max/min (with indices), norms and variances along dimensions or over everything.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuReduction}.
 */
public interface ReductionBackend {
}
