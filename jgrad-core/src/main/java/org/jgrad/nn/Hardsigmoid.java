package org.jgrad.nn;

import org.jgrad.autograd.Autograd;
import org.jgrad.tensor.Tensor;

/**
 * {@code min(max(x + 3, 0), 6) / 6}, elementwise, like {@code torch.nn.Hardsigmoid} (the gate of
 * MobileNetV3's squeeze-and-excitation). The gradient is PyTorch's: 1/6 strictly inside (−3, 3),
 * 0 elsewhere and at the kinks.
 */
public class Hardsigmoid extends Module {
    /** The Hardsigmoid layer. */
    public Hardsigmoid() {}

    @Override
    public Tensor forward(Tensor input) {
        return hardsigmoid(input);
    }

    /** {@code relu6(x + 3) / 6} with PyTorch's gradient. */
    public static Tensor hardsigmoid(Tensor x) {
        Tensor xd = x.detach();
        Tensor out = xd.add(3f).clamp(0f, 6f).div(6f);
        return Autograd.record(out, "hardsigmoid", g -> new Tensor[] {g.mul(xd.gt(-3f).mul(xd.lt(3f))).div(6f)}, x);
    }
}
