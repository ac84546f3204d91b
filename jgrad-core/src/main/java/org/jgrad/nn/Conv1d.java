package org.jgrad.nn;

import org.jgrad.nn.init.Init;
import org.jgrad.ops.ConvOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * A 1-D convolution layer over [N, C, L] (or unbatched [C, L]) inputs, like {@code torch.nn.Conv1d}:
 * weight {@code [out_channels, in_channels/groups, K]}, bias {@code [out_channels]}, PyTorch's
 * default initialization (see {@link Conv2d}). Output length {@code ⌊(L + 2P − D·(K−1) − 1)/S⌋ + 1}.
 */
public class Conv1d extends Module {
    private final int inChannels, outChannels, kernelSize, stride, padLeft, padRight, dilation, groups;
    /** "same", "valid", or null for explicit amounts. */
    private final String paddingMode;

    /** Stride 1, no padding, with bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    /** The given stride and symmetric padding, with bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, padding, 1, 1, true, DefaultGenerator.get());
    }

    /**
     * Explicit left/right padding, dilation, groups and bias, initialized from {@code gen} (null leaves
     * the weights zero for the caller's own scheme).
     */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padLeft, int padRight, int dilation,
            int groups, boolean bias, Generator gen) {
        this(inChannels, outChannels, kernelSize, stride, padLeft, padRight, dilation, groups, bias, gen, null);
    }

    /** {@code padding} = {@code "same"} (stride 1 only) or {@code "valid"}. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, String padding, int dilation, int groups, boolean bias,
            Generator gen) {
        this(inChannels, outChannels, kernelSize, 1, 0, 0, dilation, groups, bias, gen, checkMode(padding));
    }

    private static String checkMode(String m) {
        if (!"same".equals(m) && !"valid".equals(m))
            throw new IllegalArgumentException("Conv1d: padding must be \"same\" or \"valid\", got "
                    + (m == null ? "null" : "\"" + m + "\""));
        return m;
    }

    private Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padLeft, int padRight, int dilation,
            int groups, boolean bias, Generator gen, String paddingMode) {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || dilation <= 0 || groups <= 0
                || padLeft < 0 || padRight < 0)
            throw new IllegalArgumentException("Conv1d: expected positive channels, kernel_size, stride, dilation, groups"
                    + " and non-negative padding, got in_channels=" + inChannels + ", out_channels=" + outChannels
                    + ", kernel_size=" + kernelSize + ", stride=" + stride + ", padding=(" + padLeft + ", " + padRight
                    + "), dilation=" + dilation + ", groups=" + groups);
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new IllegalArgumentException("Conv1d: in_channels (" + inChannels + ") and out_channels ("
                    + outChannels + ") must both be divisible by groups (" + groups + ")");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padLeft = padLeft;
        this.padRight = padRight;
        this.dilation = dilation;
        this.groups = groups;
        this.paddingMode = paddingMode;
        registerParameter("weight", Tensor.zeros(outChannels, inChannels / groups, kernelSize));
        registerParameter("bias", bias ? Tensor.zeros(outChannels) : null);
        if (gen != null) resetParameters(gen);
    }

    /** Re-draws the parameters with PyTorch's default scheme. */
    public void resetParameters(Generator gen) {
        Init.kaimingUniform(weight(), Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", gen);
        if (bias() != null) {
            double bound = 1 / Math.sqrt(Init.calculateFanInAndFanOut(weight()).fanIn());
            Init.uniform(bias(), -bound, bound, gen);
        }
    }

    /** The weight, shape [out_channels, in_channels/groups, K]. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null. */
    public Tensor bias() {
        return parameter("bias");
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() >= 2 && input.size(input.dim() - 2) != inChannels)
            throw new IllegalArgumentException("Conv1d: expected input with " + inChannels + " channels, got "
                    + Shape.str(input.shape()));
        if (paddingMode != null) return ConvOps.conv1d(input, weight(), bias(), paddingMode, dilation, groups);
        return ConvOps.conv1d(input, weight(), bias(), stride, padLeft, padRight, dilation, groups);
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(PyTuple.of(kernelSize)).append(", stride=").append(PyTuple.of(stride));
        if (paddingMode != null) s.append(", padding=").append(paddingMode);
        else if (padLeft == padRight && padLeft != 0) s.append(", padding=").append(PyTuple.of(padLeft));
        else if (padLeft != padRight) s.append(", padding=").append(PyTuple.of(padLeft, padRight));
        if (dilation != 1) s.append(", dilation=").append(PyTuple.of(dilation));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias() == null) s.append(", bias=False");
        return s.toString();
    }
}
