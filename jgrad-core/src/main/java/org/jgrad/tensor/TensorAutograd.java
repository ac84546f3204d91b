package org.jgrad.tensor;

import static org.jgrad.tensor.TensorBackends.elementwise;

import java.util.Arrays;
import org.jgrad.backend.Storage;

/**
 * The rules around a {@link Tensor}'s autograd state (requires-grad flag, {@code .grad}, the node that
 * made it): who may change it, and how the backward engine sums a gradient into a leaf's
 * {@code .grad}. The fields themselves stay on the tensor.
 */
final class TensorAutograd {
    private TensorAutograd() {}

    static void setRequiresGrad(Tensor t, boolean value) {
        if (t.gradFn != null && !value)
            throw new IllegalStateException("requiresGrad: cannot turn off gradients of a non-leaf tensor (it has grad_fn "
                    + t.gradFn.displayName() + "); use detach()");
        if (value && t.dtype != DType.FLOAT32)
            throw new IllegalStateException("requiresGrad: only float tensors can require gradients, this one is "
                    + t.dtype.pyName());
        t.requiresGrad = value;
    }

    static void setGrad(Tensor t, Tensor g) {
        if (g != null && !Shape.same(g.shape, t.shape))
            throw new IllegalArgumentException("setGrad: gradient shape " + Shape.str(g.shape)
                    + " does not match tensor shape " + Shape.str(t.shape));
        t.grad = g;
        t.gradHandedOut = g != null;
    }

    /** {@link Tensor#zeroGrad()}: a gradient nobody outside holds is kept as the next backward's target. */
    static void zeroGrad(Tensor t) {
        if (t.grad != null && !t.gradHandedOut) t.spareGrad = t.grad;
        t.grad = null;
        t.gradHandedOut = false;
    }

    /**
     * The storage of the gradient {@link #zeroGrad} kept for leaf {@code t}, for a backward to write
     * {@code t}'s whole new gradient into (not add: its contents are stale) and return it through
     * {@code wrapGradient}, which the engine then adopts as {@code .grad} as it would a new array. Null,
     * and the spare dropped, unless {@code t} has no {@code .grad} now and the spare is a dense float32
     * gradient of {@code t}'s shape filling its storage from offset 0. The spare is handed out once.
     * Nothing outside jgrad could hold it (it was never handed out), so the reuse is invisible.
     */
    static Storage takeSpareGrad(Tensor t) {
        Tensor s = t.spareGrad;
        if (s == null) return null;
        t.spareGrad = null;
        if (t.grad != null || t.gradFn != null || s.dtype != DType.FLOAT32 || s.offset != 0 || !s.isContiguous()
                || s.storage.length() != s.numel() || !Arrays.equals(s.shape, t.shape))
            return null;
        return s.storage;
    }

    /** Adds {@code g} into {@code t}'s gradient, as the backward engine does for a leaf or a retained grad. */
    static void accumulateGrad(Tensor t, Tensor g) {
        // Always a tensor of its own: the engine may hand the same gradient to several leaves, and
        // optimizers and clipping modify .grad in place. A gradient from wrapGradient is one nobody
        // else holds (a backward's new storage): it is taken as it is, the first time only.
        Tensor grad = t.grad;
        if (grad == null) {
            if (g.adoptable && g.gradFn == null && !g.requiresGrad) {
                g.adoptable = false;
                t.grad = g;
            } else {
                t.grad = g.cloneData();
            }
            t.gradHandedOut = false;
        } else if (grad.dtype == DType.FLOAT32 && g.dtype == DType.FLOAT32 && grad.isContiguous() && g.isContiguous()
                && Arrays.equals(grad.shape, g.shape) && !grad.requiresGrad
                && !grad.storage.sharesElementsWith(g.storage)) {
            // In place, as PyTorch's AccumulateGrad does outside create_graph: no new buffer per
            // accumulation (a model's worth of gradients per step when grads are not cleared).
            elementwise().accumulate(grad.storage, grad.offset, g.storage, g.offset, grad.numel());
        } else {
            t.grad = grad.add(g);
            t.gradHandedOut = false;
        }
    }

    /**
     * The storage of leaf {@code t}'s {@code .grad} when a backward may add its gradient straight into
     * it, with the same result as handing a new gradient to {@link #accumulateGrad}'s in-place sum: a
     * float32 leaf that requires grad and whose {@code .grad} exists, does not itself require grad, is
     * contiguous from offset 0, fills its storage and has the tensor's shape. Null otherwise (the
     * backward then returns its gradient as usual). A convolution's weight gradient is summed this way
     * when gradients are not cleared between steps, instead of in a new array added afterwards.
     */
    static Storage gradInPlaceTarget(Tensor t) {
        Tensor g = t.grad;
        if (t.gradFn != null || !t.requiresGrad || g == null || t.dtype != DType.FLOAT32 || g.dtype != DType.FLOAT32
                || g.requiresGrad || g.offset != 0 || !g.isContiguous() || g.storage.length() != g.numel()
                || !Arrays.equals(g.shape, t.shape))
            return null;
        return g.storage;
    }
}
