package org.jgrad.nn;

import org.jgrad.ops.ActivationOps;
import org.jgrad.tensor.Tensor;

/**
 * {@code min(max(0, x), 6)}, elementwise, like {@code torch.nn.ReLU6} (MobileNet's activation, Keras'
 * {@code ReLU(max_value=6)}). The gradient is 1 strictly inside (0, 6) and 0 elsewhere, at the two
 * kinks included, as PyTorch's {@code hardtanh_backward} computes it; NaN stays NaN.
 */
public class ReLU6 extends Module {
    /** The ReLU6 layer. */
    public ReLU6() {}

    @Override
    public Tensor forward(Tensor input) {
        return relu6(input);
    }

    /** {@code min(max(0, x), 6)} with PyTorch's gradient at the kinks. */
    public static Tensor relu6(Tensor x) {
        if (x.dtype() != org.jgrad.tensor.DType.FLOAT32)
            throw new IllegalArgumentException("relu6: expected a float32 tensor, got " + x.dtype().pyName() + " of shape "
                    + org.jgrad.tensor.Shape.str(x.shape()) + " (convert with toFloat())");
        // One pass each way (MobileNetV2 has 35 of these per step), not clamp's compare-and-multiply.
        return ActivationOps.relu6(x);
    }
}
