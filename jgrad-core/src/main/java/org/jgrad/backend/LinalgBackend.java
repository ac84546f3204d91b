package org.jgrad.backend;

/**
 * Matrix products: GEMM (with transposes and accumulation), batched matmul, matrix-vector products.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuLinalg}.
 */
public interface LinalgBackend {
}
