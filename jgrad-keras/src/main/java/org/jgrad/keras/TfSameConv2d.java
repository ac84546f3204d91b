package org.jgrad.keras;

import org.jgrad.nn.Conv2d;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.ops.ConvOps;
import org.jgrad.tensor.Tensor;

/**
 * A {@link Conv2d} with TensorFlow's "same" padding ({@link TfSame}), which for a stride above 1 puts the
 * odd row and column at the bottom and right and depends on the input size; the parameters are
 * Conv2d's, so its state dict is a plain convolution's.
 */
final class TfSameConv2d extends Conv2d {
    TfSameConv2d(int in, int out, int kh, int kw, Conv2dOptions options, boolean bias) {
        super(in, out, kh, kw, options, bias, DefaultGenerator.get());
    }

    @Override
    public Tensor forward(Tensor x) {
        Conv2dOptions o = options();
        int[] ph = TfSame.padding(x.size(x.dim() - 2), kernelH(), o.strideH(), o.dilationH());
        int[] pw = TfSame.padding(x.size(x.dim() - 1), kernelW(), o.strideW(), o.dilationW());
        return ConvOps.conv2d(x, weight(), bias(), o.padding(ph[0], ph[1], pw[0], pw[1]));
    }

    private int kernelH() {
        return weight().size(2);
    }

    private int kernelW() {
        return weight().size(3);
    }

    @Override
    public String extraRepr() {
        return super.extraRepr() + ", padding=tensorflow_same";
    }
}
