package org.jgrad.keras;

import org.jgrad.nn.Module;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.Pool2dOptions;
import org.jgrad.tensor.Tensor;

/**
 * Keras' MaxPooling2D and AveragePooling2D, "valid" or "same" padding. TensorFlow's "same" pads
 * unevenly (the odd row and column at the bottom/right) and leaves the padding out of both the maximum
 * and the average's count: max pooling appends rows and columns of −∞, average pooling divides each
 * window's sum by the number of input elements it covers.
 */
final class KerasPool2d extends Module {
    private final boolean max;
    private final int kh, kw, sh, sw;
    private final boolean same;

    KerasPool2d(boolean max, int kh, int kw, int sh, int sw, boolean same) {
        this.max = max;
        this.kh = kh;
        this.kw = kw;
        this.sh = sh;
        this.sw = sw;
        this.same = same;
    }

    @Override
    public Tensor forward(Tensor x) {
        Pool2dOptions o = Pool2dOptions.of(kh, kw).stride(sh, sw);
        if (!same) return max ? F.maxPool2d(x, o) : F.avgPool2d(x, o);
        int h = x.size(x.dim() - 2), w = x.size(x.dim() - 1);
        int[] ph = TfSame.padding(h, kh, sh, 1), pw = TfSame.padding(w, kw, sw, 1);
        if (max) return F.maxPool2d(pad(x, ph, pw, Float.NEGATIVE_INFINITY), o);
        Tensor sums = F.avgPool2d(pad(x, ph, pw, 0f), o);
        int[] one = x.dim() == 4 ? new int[] {1, 1, h, w} : new int[] {1, h, w};
        Tensor counts = F.avgPool2d(pad(Tensor.ones(one), ph, pw, 0f), o);
        return sums.div(counts);
    }

    /** Pads the last two dims with {@code value}, {before, after} each. */
    private static Tensor pad(Tensor x, int[] ph, int[] pw, float value) {
        int hd = x.dim() - 2, wd = x.dim() - 1;
        x = padDim(x, hd, ph[0], ph[1], value);
        return padDim(x, wd, pw[0], pw[1], value);
    }

    private static Tensor padDim(Tensor x, int dim, int before, int after, float value) {
        if (before == 0 && after == 0) return x;
        int[] s = x.shape();
        java.util.List<Tensor> parts = new java.util.ArrayList<>();
        if (before > 0) {
            s[dim] = before;
            parts.add(Tensor.full(value, s.clone()));
        }
        parts.add(x);
        if (after > 0) {
            s[dim] = after;
            parts.add(Tensor.full(value, s.clone()));
        }
        return Tensor.cat(dim, parts.toArray(new Tensor[0]));
    }

    @Override
    public String name() {
        return max ? "MaxPooling2D" : "AveragePooling2D";
    }

    @Override
    public String extraRepr() {
        return "pool_size=(" + kh + ", " + kw + "), strides=(" + sh + ", " + sw + "), padding=" + (same ? "same" : "valid");
    }
}
