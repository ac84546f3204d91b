package org.jgrad.nn;

import org.jgrad.autograd.Autograd;
import org.jgrad.internal.TensorData;
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
        Tensor xc = x.detach().contiguous();
        float[] in = TensorData.floats(xc), out = new float[xc.numel()];
        int o = xc.offset();
        // One pass each way (MobileNetV2 has 35 of these per step); NaN passes through as in clamp.
        for (int i = 0; i < out.length; i++) {
            float v = in[o + i];
            out[i] = v < 0f ? 0f : (v > 6f ? 6f : v);
        }
        Tensor res = TensorData.wrap(out, x.shape());
        // clamp's own gradient passes at x == 0 and x == 6; PyTorch's ReLU6 does not.
        return Autograd.record(res, "relu6", g -> {
            Tensor gc = g.contiguous();
            float[] gd = TensorData.floats(gc), dx = new float[out.length];
            int go = gc.offset();
            for (int i = 0; i < dx.length; i++) {
                float v = in[o + i];
                dx[i] = gd[go + i] * (v > 0f && v < 6f ? 1f : 0f);
            }
            return new Tensor[] {TensorData.wrapGradient(dx, x.shape())};
        }, x);
    }
}
