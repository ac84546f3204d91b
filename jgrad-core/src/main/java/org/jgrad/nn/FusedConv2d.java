package org.jgrad.nn;

import org.jgrad.autograd.Autograd;
import org.jgrad.ops.ConvOps;
import org.jgrad.ops.PackedConv2d;
import org.jgrad.tensor.Tensor;

/**
 * A {@link Conv2d} prepared for inference by {@link Inference#prepare}: its weight and bias may hold
 * an eval-mode batch norm folded in (PyTorch's {@code fuse_conv_bn_eval}), it may apply the ReLU that
 * followed it, and without a graph to record it runs on a {@link PackedConv2d}, which lays the weight
 * out for the GEMM once per input size instead of in every call.
 *
 * <p>Its parameters are frozen (they require no grad). The packed form is made from them at the first
 * forward without a graph; after changing them (loading a state dict, an in-place edit) call
 * {@link #repack()}. With grad mode on and an input that requires grad it records the plain
 * convolution, so gradients reach the input.
 */
public class FusedConv2d extends Conv2d {
    private final boolean relu;
    private volatile PackedConv2d packed;

    /**
     * A copy of {@code conv}'s settings with the given weight [O, C/groups, kH, kW] and bias [O]
     * (copied), followed by a ReLU when {@code relu}.
     *
     * @throws IllegalArgumentException when the weight's or the bias's shape is not the convolution's
     */
    public FusedConv2d(Conv2d conv, Tensor weight, Tensor bias, boolean relu) {
        super(conv.inChannels(), conv.outChannels(), conv.weight().size(2), conv.weight().size(3), conv.options(),
                bias != null, null);
        this.relu = relu;
        setParameter("weight", weight.detach().cloneData());
        if (bias != null) setParameter("bias", bias.detach().cloneData());
        requiresGrad(false);
    }

    /** Whether a ReLU is applied to the output. */
    public boolean relu() {
        return relu;
    }

    /** Drops the packed form, so that the next forward packs the parameters as they are now. */
    public void repack() {
        packed = null;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor w = weight(), b = bias();
        if (Autograd.needsGraph(input, w, b))
            return relu ? ConvOps.conv2dRelu(input, w, b, options()) : ConvOps.conv2d(input, w, b, options());
        PackedConv2d p = packed;
        if (p == null) {
            // Two threads may both pack the first time; either result is the same, and one is kept.
            p = PackedConv2d.of(w, b, options());
            packed = p;
        }
        if (input.dim() >= 3 && input.size(input.dim() - 3) != inChannels())
            throw new IllegalArgumentException("FusedConv2d: expected input with " + inChannels() + " channels, got "
                    + org.jgrad.tensor.Shape.str(input.shape()));
        return p.forward(input, relu);
    }

    @Override
    public String extraRepr() {
        return super.extraRepr() + (relu ? ", relu=True" : "");
    }
}
