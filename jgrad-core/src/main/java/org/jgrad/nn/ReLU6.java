package org.jgrad.nn;

import org.jgrad.autograd.Autograd;
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
        Tensor out = x.detach().clamp(0f, 6f);
        // clamp's own gradient passes at x == 0 and x == 6; PyTorch's ReLU6 does not.
        return Autograd.record(out, "relu6", g -> new Tensor[] {g.mul(x.gt(0f).mul(x.lt(6f)))}, x);
    }
}
