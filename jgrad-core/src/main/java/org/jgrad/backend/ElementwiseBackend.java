package org.jgrad.backend;

/**
 * Elementwise arithmetic with broadcasting, scalar forms, comparisons and where, fills and copies between strided views.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuElementwise}.
 */
public interface ElementwiseBackend {

    // ------------------------------------------------------------ for tensor/: fills, copies, gradient sums


    // ------------------------------------------------------------ for ops/: arithmetic, comparisons, where

}
