package org.jgrad.nn;

import org.jgrad.nn.init.Init;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.ops.ConvOps;
import org.jgrad.ops.Pool2dOptions;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * A 2-D convolution layer (cross-correlation, as in PyTorch), like {@code torch.nn.Conv2d}: weight
 * {@code [out_channels, in_channels/groups, kH, kW]}, bias {@code [out_channels]}. Initialized as
 * PyTorch does: Kaiming uniform with a = √5 for the weight and U(−1/√fan_in, 1/√fan_in) for the
 * bias, where fan_in = in_channels/groups · kH · kW.
 *
 * <pre>{@code
 * new Conv2d(3, 64, 3, 1, 1);                                      // Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
 * Conv2d.builder(64, 64, 3).padding("same").groups(64).bias(false).build();
 * }</pre>
 *
 * The output size per axis is {@code ⌊(W + 2P − D·(F−1) − 1)/S⌋ + 1}, the lectures' {@code ⌊(W + 2P − F)/S⌋ + 1} for D = 1.
 */
public class Conv2d extends Module {
    private final int inChannels, outChannels, kernelH, kernelW;
    private final Conv2dOptions options;

    /** Stride 1, no padding, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    /** A square kernel with the given stride and symmetric padding, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, true);
    }

    /** A square kernel with the given stride, symmetric padding and bias switch. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias) {
        this(inChannels, outChannels, kernelSize, kernelSize,
                Conv2dOptions.defaults().stride(stride).padding(padding), bias, DefaultGenerator.get());
    }

    /**
     * The general form: a {@code kernelH×kernelW} kernel with the given options, initialized from {@code gen}.
     *
     * @throws IllegalArgumentException when a size is not positive, the channels do not divide by the
     *     groups, or {@code "same"} padding is combined with a stride
     */
    public Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, Conv2dOptions options, boolean bias,
            Generator gen) {
        if (inChannels <= 0 || outChannels <= 0 || kernelH <= 0 || kernelW <= 0)
            throw new IllegalArgumentException("Conv2d: channels and kernel size must be positive, got in_channels="
                    + inChannels + ", out_channels=" + outChannels + ", kernel_size=" + PyTuple.of(kernelH, kernelW));
        if (options == null) throw new IllegalArgumentException("Conv2d: options must not be null");
        int g = options.groups();
        if (inChannels % g != 0 || outChannels % g != 0)
            throw new IllegalArgumentException("Conv2d: in_channels (" + inChannels + ") and out_channels ("
                    + outChannels + ") must both be divisible by groups (" + g + ")");
        options.resolvePadding(kernelH, kernelW); // rejects "same" with a stride now rather than at the first call
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.options = options;
        registerParameter("weight", Tensor.zeros(outChannels, inChannels / g, kernelH, kernelW));
        registerParameter("bias", bias ? Tensor.zeros(outChannels) : null);
        if (gen != null) resetParameters(gen);
    }

    /** A builder starting from a square {@code kernelSize} kernel with PyTorch's defaults. */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize, kernelSize);
    }

    /** Collects the settings of a {@link Conv2d}. */
    public static final class Builder {
        private final int in, out;
        private int kH, kW;
        private Conv2dOptions options = Conv2dOptions.defaults();
        private boolean bias = true;
        private Generator gen = DefaultGenerator.get();

        private Builder(int in, int out, int kH, int kW) {
            this.in = in;
            this.out = out;
            this.kH = kH;
            this.kW = kW;
        }

        /** A rectangular kernel. */
        public Builder kernelSize(int kH, int kW) { this.kH = kH; this.kW = kW; return this; }
        /** The same stride in both directions. */
        public Builder stride(int s) { options = options.stride(s); return this; }
        /** Vertical and horizontal stride. */
        public Builder stride(int sH, int sW) { options = options.stride(sH, sW); return this; }
        /** The same zero padding on all four sides. */
        public Builder padding(int p) { options = options.padding(p); return this; }
        /** {@code pH} rows above and below, {@code pW} columns left and right. */
        public Builder padding(int pH, int pW) { options = options.padding(pH, pW); return this; }
        /** Each side separately (beyond PyTorch's Conv2d, which needs an explicit pad for this). */
        public Builder padding(int top, int bottom, int left, int right) { options = options.padding(top, bottom, left, right); return this; }
        /** {@code "same"} or {@code "valid"}. */
        public Builder padding(String mode) { options = options.padding(mode); return this; }
        /** The same dilation in both directions. */
        public Builder dilation(int d) { options = options.dilation(d); return this; }
        /** Vertical and horizontal dilation. */
        public Builder dilation(int dH, int dW) { options = options.dilation(dH, dW); return this; }
        /** Channel groups. */
        public Builder groups(int g) { options = options.groups(g); return this; }
        /** With or without bias. */
        public Builder bias(boolean on) { bias = on; return this; }
        /**
         * The generator for the default initialization; null leaves the weights zero, for callers that
         * apply their own scheme right after (so a large model is not initialized twice).
         */
        public Builder generator(Generator g) { gen = g; return this; }

        /** The layer. */
        public Conv2d build() {
            return new Conv2d(in, out, kH, kW, options, bias, gen);
        }
    }

    /** Re-draws the parameters with PyTorch's default scheme. */
    public void resetParameters(Generator gen) {
        Init.kaimingUniform(weight(), Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", gen);
        if (bias() != null) {
            double bound = 1 / Math.sqrt(Init.calculateFanInAndFanOut(weight()).fanIn());
            Init.uniform(bias(), -bound, bound, gen);
        }
    }

    /** The weight, shape [out_channels, in_channels/groups, kH, kW]. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null for a layer built without one. */
    public Tensor bias() {
        return parameter("bias");
    }

    /** Input channels. */
    public int inChannels() {
        return inChannels;
    }

    /** Output channels (number of filters). */
    public int outChannels() {
        return outChannels;
    }

    /** Stride, padding, dilation and groups. */
    public Conv2dOptions options() {
        return options;
    }

    /**
     * The output height and width for an {@code h×w} input.
     *
     * @throws IllegalArgumentException when the kernel does not fit the padded input
     */
    public int[] outputSize(int h, int w) {
        int[] p = options.resolvePadding(kernelH, kernelW);
        return new int[] {ConvOps.outputSize(h, kernelH, options.strideH(), p[0], p[1], options.dilationH()),
            ConvOps.outputSize(w, kernelW, options.strideW(), p[2], p[3], options.dilationW())};
    }

    @Override
    public Tensor forward(Tensor input) {
        return ConvOps.conv2d(requireChannels(input), weight(), bias(), options);
    }

    /** {@code relu(forward(input))} with the ReLU fused into the convolution's epilogue ({@link Sequential} fuses Conv2d, ReLU). */
    Tensor forwardRelu(Tensor input) {
        return ConvOps.conv2dRelu(requireChannels(input), weight(), bias(), options);
    }

    /** {@code pool(relu(forward(input)))} as one fused op ({@link ConvOps#conv2dReluMaxPool2d}), for {@link Sequential}. */
    Tensor forwardReluMaxPool(Tensor input, Pool2dOptions pool) {
        return ConvOps.conv2dReluMaxPool2d(requireChannels(input), weight(), bias(), options, pool);
    }

    private Tensor requireChannels(Tensor input) {
        if (input.dim() >= 3 && input.size(input.dim() - 3) != inChannels)
            throw new IllegalArgumentException("Conv2d: expected input with " + inChannels + " channels, got "
                    + org.jgrad.tensor.Shape.str(input.shape()));
        return input;
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(PyTuple.of(kernelH, kernelW))
                .append(", stride=").append(PyTuple.of(options.strideH(), options.strideW()));
        Conv2dOptions o = options;
        switch (o.paddingMode()) {
            case SAME -> s.append(", padding=same");
            case VALID -> s.append(", padding=valid");
            case EXPLICIT -> {
                if (o.padTop() == o.padBottom() && o.padLeft() == o.padRight()) {
                    if (o.padTop() != 0 || o.padLeft() != 0) s.append(", padding=").append(PyTuple.of(o.padTop(), o.padLeft()));
                } else {
                    s.append(", padding=").append(PyTuple.of(o.padTop(), o.padBottom(), o.padLeft(), o.padRight()));
                }
            }
        }
        if (o.dilationH() != 1 || o.dilationW() != 1) s.append(", dilation=").append(PyTuple.of(o.dilationH(), o.dilationW()));
        if (o.groups() != 1) s.append(", groups=").append(o.groups());
        if (bias() == null) s.append(", bias=False");
        return s.toString();
    }
}
