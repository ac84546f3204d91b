package org.jgrad.tensor;

import static org.jgrad.tensor.TensorBackends.elementwise;
import static org.jgrad.tensor.TensorBackends.random;

import java.util.Set;
import org.jgrad.autograd.NoGrad;
import org.jgrad.backend.Storage;

/**
 * {@link Tensor}'s in-place methods (optimizer updates, initialization, masks): the autograd check
 * that guards them, then one backend call over the destination's storage and geometry.
 */
final class InPlace {
    private InPlace() {}

    private static final Set<String> VIEW_OPS = Set.of("view", "permute", "transpose", "slice", "expand", "squeeze", "unsqueeze");

    /**
     * Refuses an in-place write autograd could not see: on a float tensor that requires grad (a leaf,
     * a view of one, or an op result) while grad mode is on.
     */
    static void check(Tensor t, String op) {
        if (t.dtype != DType.FLOAT32) throw new IllegalStateException(op + ": in-place ops need a float32 tensor");
        if (!NoGrad.isGradEnabled() || !t.requiresGrad) return;
        if (t.gradFn == null)
            throw new IllegalStateException(op + ": a leaf tensor that requires grad is being modified in place while "
                    + "grad mode is on; wrap the update in NoGrad.enter()");
        // Writing through a view changes the leaf behind it just as much, and autograd would not see it.
        Tensor cur = t;
        while (cur.gradFn != null && VIEW_OPS.contains(cur.gradFn.op())
                && cur.gradFn.inputs()[0].storage.sharesElementsWith(t.storage))
            cur = cur.gradFn.inputs()[0];
        if (cur.gradFn == null && cur.requiresGrad)
            throw new IllegalStateException(op + ": a view of a leaf tensor that requires grad is being modified in place "
                    + "while grad mode is on; wrap the update in NoGrad.enter()");
        // In-place ops are not recorded on the graph, so the gradient would silently ignore this update.
        throw new IllegalStateException(op + ": tensor of shape " + Shape.str(t.shape) + " requires grad (grad_fn "
                + t.gradFn.displayName() + ") and in-place ops are not recorded by autograd; use the out-of-place op, "
                + "or detach() first");
    }

    /**
     * {@code src} broadcast to {@code dst}'s shape as a contiguous float tensor that does not share
     * dst's storage, so that writing dst element by element cannot clobber values still to be read.
     */
    private static Tensor sourceFor(Tensor dst, String op, Tensor src) {
        Tensor s = src.dtype == DType.FLOAT32 ? src.detach() : src.toFloat();
        try {
            Shape.broadcast(op, s.shape, dst.shape);
            s = s.expand(dst.shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": source of shape " + Shape.str(src.shape)
                    + " cannot be broadcast to the destination shape " + Shape.str(dst.shape), e);
        }
        return s.storage.sharesElementsWith(dst.storage) ? s.cloneData() : s.contiguous();
    }

    static void fill(Tensor t, float value) {
        check(t, "fillInPlace");
        elementwise().fill(t.storage, t.offset, t.shape, t.strides, value);
    }

    static void copy(Tensor t, Tensor src) {
        check(t, "copyInPlace");
        Tensor b = sourceFor(t, "copyInPlace", src);
        elementwise().copyFromContiguous(t.storage, t.offset, t.shape, t.strides, b.storage, b.offset);
    }

    static void add(Tensor t, Tensor other, float alpha) {
        check(t, "addInPlace");
        Tensor b = sourceFor(t, "addInPlace", other);
        elementwise().addScaledFromContiguous(t.storage, t.offset, t.shape, t.strides, b.storage, b.offset, alpha);
    }

    static void mul(Tensor t, float factor) {
        check(t, "mulInPlace");
        elementwise().scale(t.storage, t.offset, t.shape, t.strides, factor);
    }

    /** Normal draws in row-major order, redrawn outside [low, high] (infinite bounds: never). */
    static void normal(Tensor t, String op, Generator gen, double mean, double std, double low, double high) {
        check(t, op);
        if (!(std >= 0)) throw new IllegalArgumentException(op + ": std must be >= 0, got " + std);
        int n = t.numel();
        if (t.isContiguous()) {
            random().normalInto(gen.stream(), t.storage, t.offset, n, mean, std, low, high);
        } else {
            // row-major draws, then one strided write: the same numbers as for a contiguous tensor
            Storage tmp = elementwise().zeros(n);
            random().normalInto(gen.stream(), tmp, 0, n, mean, std, low, high);
            elementwise().copyFromContiguous(t.storage, t.offset, t.shape, t.strides, tmp, 0);
        }
    }
}
