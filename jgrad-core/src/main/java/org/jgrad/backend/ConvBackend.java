package org.jgrad.backend;

/**
 * Convolution: forward, backward to the input and backward to the weight (grouped, depthwise, dilated), including the im2col/grid/direct choice.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuConv}.
 */
public interface ConvBackend {
}
