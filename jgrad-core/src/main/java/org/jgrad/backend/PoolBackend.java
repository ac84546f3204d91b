package org.jgrad.backend;

/**
 * Pooling: max/average pooling (with indices for max), adaptive pooling, their backward passes,
 * with PyTorch's semantics. Inputs are {@code planes} contiguous [H, W] planes from an offset;
 * results and gradients are new storages from index 0. Max-pool indices are int64 flat positions
 * {@code h·W + w} within the input plane.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuPool}.
 */
public interface PoolBackend {

    /**
     * Values and where they came from: int64 plane indices for {@link #maxPool2d} and
     * {@link #adaptiveMaxPool2d}; for {@link #maxPool2x2}, the window position of each maximum in a
     * storage of the backend's own making, which only {@link #maxPool2x2Indices} and
     * {@link #maxPool2x2Backward} read.
     */
    record Pooled(Storage values, Storage indices) {}

    /**
     * 2×2, stride-2 max pooling whose windows all lie inside the planes (2·outH ≤ H, 2·outW ≤ W):
     * each output is the first element of its window equal to the window's maximum, or its first NaN.
     */
    Pooled maxPool2x2(Storage x, int xOff, int planes, int height, int width, int outH, int outW);

    /** The int64 plane indices of the maxima that {@link #maxPool2x2} chose. */
    Storage maxPool2x2Indices(Storage choice, int planes, int width, int outH, int outW);

    /** The input gradient of {@link #maxPool2x2}: each output's gradient added at its maximum. */
    Storage maxPool2x2Backward(Storage g, int gOff, Storage choice, int planes, int height, int width, int outH, int outW);

    /**
     * The input gradient of a ReLU followed by {@link #maxPool2x2}, i.e. with respect to the ReLU's
     * input: {@link #maxPool2x2Backward} times {@code [y > 0]} in one pass, where {@code kept} holds the
     * pool's values (a window's maximum is positive exactly when its chosen element is). Same values as
     * the two backward passes, NaN · 0 staying NaN. The result may be a storage that was {@linkplain #giveBack
     * given back} after an earlier call.
     */
    Storage maxPool2x2ReluBackward(Storage g, int gOff, Storage choice, Storage kept, int planes, int height, int width,
            int outH, int outW);

    /**
     * Hands back a storage that {@link #maxPool2x2ReluBackward} returned on this thread, once nothing will read
     * it again, so that a later call may return it instead of a new one (a gradient that only the op after it
     * reads: the fused convolution's backward). A storage it did not lend, or lent to another thread, is
     * ignored. The default keeps nothing.
     */
    default void giveBack(Storage s) {}

    /**
     * Max pooling with −∞ padding; ties go to the first element in row-major window order and a NaN
     * wins. Returns int64 plane indices.
     */
    Pooled maxPool2d(Storage x, int xOff, PoolGeometry geo);

    /**
     * The input gradient of an index-selecting pooling ({@link #maxPool2d}, {@link #adaptiveMaxPool2d}):
     * each output's gradient added at its plane index (negative indices skipped).
     */
    Storage maxPoolBackward(Storage g, int gOff, Storage indices, int planes, int inPlane, int outPlane);

    /**
     * Average pooling: each window clipped to the padded input and divided by the clipped window's
     * size ({@code countIncludePad}), the number of real elements in it (not), or
     * {@code divisorOverride} when it is not 0. Dilation must be 1.
     */
    Storage avgPool2d(Storage x, int xOff, PoolGeometry geo, boolean countIncludePad, int divisorOverride);

    /** The input gradient of {@link #avgPool2d}. */
    Storage avgPool2dBackward(Storage g, int gOff, PoolGeometry geo, boolean countIncludePad, int divisorOverride);

    /**
     * Adaptive average pooling to outH×outW: output (i, j) averages rows
     * {@code [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉)} and the columns alike.
     */
    Storage adaptiveAvgPool2d(Storage x, int xOff, int planes, int height, int width, int outH, int outW);

    /** The input gradient of {@link #adaptiveAvgPool2d}. */
    Storage adaptiveAvgPool2dBackward(Storage g, int gOff, int planes, int height, int width, int outH, int outW);

    /** Adaptive max pooling (windows as {@link #adaptiveAvgPool2d}), with int64 plane indices. */
    Pooled adaptiveMaxPool2d(Storage x, int xOff, int planes, int height, int width, int outH, int outW);
}
