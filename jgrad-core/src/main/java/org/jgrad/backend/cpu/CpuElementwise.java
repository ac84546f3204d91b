package org.jgrad.backend.cpu;

import org.jgrad.backend.ElementwiseBackend;

/** {@link ElementwiseBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuElementwise implements ElementwiseBackend {

    // ------------------------------------------------------------ for tensor/: fills, copies, gradient sums


    // ------------------------------------------------------------ for ops/: arithmetic, comparisons, where

}
