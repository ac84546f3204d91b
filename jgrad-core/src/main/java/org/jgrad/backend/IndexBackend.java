package org.jgrad.backend;

/**
 * Indexing and data movement: gather/scatter, index_select, embedding rows, cat/stack, narrow copies, one-hot, flips.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuIndex}.
 */
public interface IndexBackend {
}
