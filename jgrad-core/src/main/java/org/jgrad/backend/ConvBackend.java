package org.jgrad.backend;

/**
 * Convolution: forward, backward to the input and backward to the weight (grouped, depthwise, dilated),
 * each a whole op over a batch, as PyTorch's {@code conv2d} computes it (a cross-correlation). How it
 * runs (im2col + GEMM, a direct loop over a padded grid, depthwise planes, threading) is the backend's
 * choice, made once per call in {@link #plan}.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuConv}.
 * Operands are dense row-major from their offsets: x [N, C, H, W], weight [O, C/groups, kH, kW] (or the
 * tap window of {@link #cropWeight}), g [N, O, outH, outW].
 */
public interface ConvBackend {

    /** A convolution of one {@link ConvGeometry}, prepared by {@link #plan}; only its backend reads it. */
    interface Plan {
        /** The shape it computes. */
        ConvGeometry geometry();
    }

    /** Chooses how to compute {@code geometry}; the forward and backward of one call share the plan. */
    Plan plan(ConvGeometry geometry);

    /**
     * A weight and bias laid out once for forwards of one geometry (any batch size) that repeat with
     * the same values: inference. Built by {@link #pack}, run by {@link #forwardPacked}; immutable,
     * and usable from any number of threads at once.
     */
    interface Packed {
        /** The geometry it was packed for, at batch 1. */
        ConvGeometry geometry();
    }

    /**
     * The plan's weight (its tap window, as {@link #forward} takes it) and bias (or null) copied into
     * the layout the backend's forward reads without repacking, or null where the backend has no such
     * form for this geometry (the caller then runs {@link #forward}). Later changes to the storages
     * are not seen.
     */
    Packed pack(Plan plan, Storage weight, int wOff, Storage bias, int bOff);

    /**
     * The output [batch, O, outH, outW] of {@code batch} images at x[xOff..] with the packed weight,
     * bias added, then ReLU'd when {@code relu}; on the calling thread.
     */
    Storage forwardPacked(Packed packed, int batch, Storage x, int xOff, boolean relu);

    /**
     * The weight restricted to the plan's tap window, [O, C/groups, tapsH, tapsW] (a new storage):
     * what {@link #forward} and {@link #backwardInput} take when the geometry is {@link ConvGeometry#reduced}.
     */
    Storage cropWeight(Plan plan, Storage weight, int wOff);

    /**
     * The output [N, O, outH, outW], bias (one per output channel, or null) added, then ReLU'd when
     * {@code relu}. The weight covers the plan's tap window.
     */
    Storage forward(Plan plan, Storage x, int xOff, Storage weight, int wOff, Storage bias, int bOff, boolean relu);

    /** The output of a convolution and its 2×2 max pool ({@link #forwardMaxPool2x2}). */
    record Pooled(Storage out, PoolBackend.Pooled pool) {}

    /**
     * {@link #forward}, then 2×2, stride-2 max pooling of the output's planes to [N, O, poolH, poolW]
     * (2·poolH ≤ outH, 2·poolW ≤ outW), the pool's values and choices as
     * {@link PoolBackend#maxPool2x2} gives them (its backward and indices take them). The same values as
     * the two calls; the backend may pool each image while it is in cache. Nothing reads the convolution's
     * output ({@link Pooled#out}) after this call, so the backend may hand out a storage that a later call
     * on the same thread writes over.
     */
    Pooled forwardMaxPool2x2(Plan plan, Storage x, int xOff, Storage weight, int wOff, Storage bias, int bOff,
            boolean relu, int poolH, int poolW);

    /** The input gradient [N, C, H, W] from the output gradient g and the weight the forward took. */
    Storage backwardInput(Plan plan, Storage g, int gOff, Storage weight, int wOff);

    /**
     * The weight gradient in the full kernel layout [O, C/groups, kH, kW], added into {@code into}
     * (a dense float storage of that size, e.g. the existing {@code .grad}) when it is not null, else
     * into a new zero-filled storage; returns the storage it added into.
     */
    Storage backwardWeight(Plan plan, Storage g, int gOff, Storage x, int xOff, Storage into);

    /** The bias gradient [O]: the output gradient summed over images and positions. */
    Storage backwardBias(Plan plan, Storage g, int gOff);

    /** The weight gradient (a storage as {@link #backwardWeight} returns) and the bias gradient of one backward. */
    record WeightAndBias(Storage weight, Storage bias) {}

    /**
     * {@link #backwardWeight} and {@link #backwardBias} in one call, with the same results; a backend may sum
     * the bias gradient while its weight gradient's pass reads the output gradient.
     */
    default WeightAndBias backwardWeightAndBias(Plan plan, Storage g, int gOff, Storage x, int xOff, Storage into) {
        return new WeightAndBias(backwardWeight(plan, g, gOff, x, xOff, into), backwardBias(plan, g, gOff));
    }
}
