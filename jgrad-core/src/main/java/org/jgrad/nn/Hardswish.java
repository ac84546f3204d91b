package org.jgrad.nn;

import org.jgrad.autograd.Autograd;
import org.jgrad.tensor.Tensor;

/**
 * {@code x · min(max(x + 3, 0), 6) / 6}, elementwise, like {@code torch.nn.Hardswish} (MobileNetV3's
 * cheap swish). The gradient is PyTorch's: 0 below −3, {@code x/3 + 1/2} on [−3, 3), 1 from 3 on
 * (and 1 for NaN, which fails both comparisons as in PyTorch's kernel).
 */
public class Hardswish extends Module {
    /** The Hardswish layer. */
    public Hardswish() {}

    @Override
    public Tensor forward(Tensor input) {
        return hardswish(input);
    }

    /** {@code x · relu6(x + 3) / 6} with PyTorch's gradient. */
    public static Tensor hardswish(Tensor x) {
        Tensor xd = x.detach();
        Tensor out = xd.mul(xd.add(3f).clamp(0f, 6f)).div(6f);
        return Autograd.record(out, "hardswish", g -> {
            Tensor notLow = xd.lt(-3f).neg().add(1f); // 1 where !(x < -3)
            Tensor lt3 = xd.lt(3f);
            Tensor slope = notLow.mul(lt3).mul(xd.div(3f).add(0.5f)).add(notLow.mul(lt3.neg().add(1f)));
            return new Tensor[] {g.mul(slope)};
        }, x);
    }
}
