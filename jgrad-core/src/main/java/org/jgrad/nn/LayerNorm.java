package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.nn.functional.F;
import org.jgrad.nn.init.Init;
import org.jgrad.tensor.Tensor;

/**
 * Layer normalization over the trailing {@code normalizedShape}, like {@code torch.nn.LayerNorm}:
 * {@code y = (x − E[x]) / √(Var[x] + eps) · weight + bias}, the variance biased, statistics per sample
 * in training and evaluation alike; {@code weight} starts at 1 and {@code bias} at 0.
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;

    /** Normalizes over the last dimension of size {@code dim}, eps 1e-5, with weight and bias. */
    public LayerNorm(int dim) {
        this(new int[] {dim}, 1e-5, true);
    }

    /** PyTorch's arguments ({@code elementwise_affine} false: no parameters). */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape == null || normalizedShape.length == 0)
            throw new IllegalArgumentException("LayerNorm: normalized_shape must name at least one dimension");
        for (int s : normalizedShape)
            if (s < 1) throw new IllegalArgumentException("LayerNorm: normalized_shape " + Arrays.toString(normalizedShape)
                    + " has a size below 1");
        if (!(eps > 0)) throw new IllegalArgumentException("LayerNorm: eps must be positive, got " + eps);
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        registerParameter("weight", elementwiseAffine ? Init.ones(Tensor.zeros(normalizedShape)) : null);
        registerParameter("bias", elementwiseAffine ? Tensor.zeros(normalizedShape) : null);
    }

    /** The scale, or null without the affine part. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** The shift, or null without the affine part. */
    public Tensor bias() {
        return parameter("bias");
    }

    /** The trailing shape normalized over. */
    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.layerNorm(input, normalizedShape, weight(), bias(), eps);
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < normalizedShape.length; i++) s.append(i > 0 ? ", " : "").append(normalizedShape[i]);
        if (normalizedShape.length == 1) s.append(',');
        return s.append("), eps=").append(PyRepr.pyFloat(eps)).append(", elementwise_affine=")
                .append(PyRepr.pyBool(weight() != null)).toString();
    }
}
