package org.jgrad.backend;

/**
 * Normalization: batch norm (training statistics, running-stat updates, backward), layer norm, group/instance norm, local response norm.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuNorm}.
 */
public interface NormBackend {
}
