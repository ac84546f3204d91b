package org.jgrad.nn;

import org.jgrad.ops.Conv2dOptions;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * A depthwise separable convolution, Keras' {@code SeparableConv2D}: a depthwise convolution
 * (each input channel through its own {@code kH×kW} kernels, {@code depthMultiplier} of them, no
 * bias) then a 1×1 pointwise convolution to {@code filters} channels (with bias unless turned
 * off). Parameters: {@code C·m·kH·kW + C·m·filters (+ filters)}, against {@code C·filters·kH·kW
 * (+ filters)} for the full convolution it stands in for (Xception, MobileNet, NASNet).
 *
 * <p>The two convolutions are {@link Conv2d} children named as timm's {@code SeparableConv2d}
 * ({@code conv_dw}, {@code conv_pw}) unless the builder names them otherwise (timm's legacy
 * Xception: {@code conv1}, {@code pointwise}), so that a PyTorch state dict loads unchanged. Keras'
 * {@code depthwise_kernel} of shape {@code (kH, kW, C, m)} is {@code conv_dw.weight}
 * {@code [C·m, 1, kH, kW]} with output channel {@code c·m + j}; its {@code pointwise_kernel}
 * {@code (1, 1, C·m, filters)} is {@code conv_pw.weight} transposed.
 *
 * <p>Padding follows Keras: {@code "valid"} (none), or {@code "same"}, which for any stride pads
 * {@code max((⌈in/s⌉ − 1)·s + d·(k − 1) + 1 − in, 0)} in total per axis, the smaller half before
 * (TensorFlow's rule; at stride 1 the same split as PyTorch's {@code padding="same"}). It is
 * resolved per input size at each call. Explicit amounts are accepted as well.
 *
 * <pre>{@code
 * SeparableConv2d.builder(128, 256, 3).padding("same").bias(false).build();   // Xception's block 2
 * }</pre>
 */
public class SeparableConv2d extends Module {
    private final int inChannels, filters, kernelH, kernelW, depthMultiplier;
    private final Conv2dOptions depthwiseOptions;
    private final boolean tfSame;
    private final String dwName, pwName;

    private SeparableConv2d(Builder b) {
        if (b.in <= 0 || b.filters <= 0 || b.kH <= 0 || b.kW <= 0 || b.multiplier <= 0)
            throw new IllegalArgumentException("SeparableConv2d: channels, filters, kernel size and depth_multiplier must be"
                    + " positive, got in_channels=" + b.in + ", filters=" + b.filters + ", kernel_size="
                    + PyTuple.of(b.kH, b.kW) + ", depth_multiplier=" + b.multiplier);
        if (b.dwName == null || b.pwName == null || b.dwName.isEmpty() || b.dwName.equals(b.pwName)
                || b.dwName.contains(".") || b.pwName.contains(".") || b.pwName.isEmpty())
            throw new IllegalArgumentException("SeparableConv2d: the two convolutions need distinct non-empty names without"
                    + " dots, got \"" + b.dwName + "\" and \"" + b.pwName + "\"");
        this.inChannels = b.in;
        this.filters = b.filters;
        this.kernelH = b.kH;
        this.kernelW = b.kW;
        this.depthMultiplier = b.multiplier;
        this.tfSame = b.same;
        this.dwName = b.dwName;
        this.pwName = b.pwName;
        // "same" at stride 1 is PyTorch's split too; with a stride it depends on the input size,
        // so it is applied per call (as a ZeroPad2d) and the child holds no padding.
        boolean stride1 = b.options.strideH() == 1 && b.options.strideW() == 1;
        this.depthwiseOptions = (b.same && stride1 ? b.options.padding("same") : b.options).groups(b.in);
        int mid = b.in * b.multiplier;
        registerModule(dwName, new Conv2d(b.in, mid, b.kH, b.kW, depthwiseOptions, b.depthwiseBias, b.gen));
        registerModule(pwName, new Conv2d(mid, b.filters, 1, 1, Conv2dOptions.defaults(), b.bias, b.gen));
    }

    /** Keras' defaults: stride 1, "valid" padding, depth multiplier 1, dilation 1, bias on the pointwise convolution. */
    public SeparableConv2d(int inChannels, int filters, int kernelSize) {
        this(builder(inChannels, filters, kernelSize));
    }

    /** A builder starting from a square {@code kernelSize} kernel with Keras' defaults. */
    public static Builder builder(int inChannels, int filters, int kernelSize) {
        return new Builder(inChannels, filters, kernelSize);
    }

    /** Collects the settings of a {@link SeparableConv2d}. */
    public static final class Builder {
        private final int in, filters;
        private int kH, kW, multiplier = 1;
        private Conv2dOptions options = Conv2dOptions.defaults();
        private boolean same, bias = true, depthwiseBias;
        private String dwName = "conv_dw", pwName = "conv_pw";
        private Generator gen = DefaultGenerator.get();

        private Builder(int in, int filters, int k) {
            this.in = in;
            this.filters = filters;
            this.kH = k;
            this.kW = k;
        }

        /** A rectangular kernel. */
        public Builder kernelSize(int kH, int kW) { this.kH = kH; this.kW = kW; return this; }
        /** The same stride in both directions (Keras' {@code strides}). */
        public Builder stride(int s) { options = options.stride(s); return this; }
        /** Vertical and horizontal stride. */
        public Builder stride(int sH, int sW) { options = options.stride(sH, sW); return this; }
        /** The same dilation in both directions (Keras' {@code dilation_rate}). */
        public Builder dilation(int d) { options = options.dilation(d); return this; }
        /** Depthwise kernels per input channel (Keras' {@code depth_multiplier}). */
        public Builder depthMultiplier(int m) { multiplier = m; return this; }
        /** Bias on the pointwise convolution (Keras' {@code use_bias}; default true). */
        public Builder bias(boolean on) { bias = on; return this; }
        /** Bias on the depthwise convolution as well (PyTorch-style blocks; default false, as Keras). */
        public Builder depthwiseBias(boolean on) { depthwiseBias = on; return this; }
        /** The children's names (default timm's {@code conv_dw}, {@code conv_pw}). */
        public Builder names(String depthwise, String pointwise) { dwName = depthwise; pwName = pointwise; return this; }
        /** Generator for the default initialization, or null to leave the weights zero. */
        public Builder generator(Generator g) { gen = g; return this; }

        /** The same zero padding on all four sides of the depthwise convolution. */
        public Builder padding(int p) { options = options.padding(p); same = false; return this; }
        /** Each side separately. */
        public Builder padding(int top, int bottom, int left, int right) {
            options = options.padding(top, bottom, left, right);
            same = false;
            return this;
        }
        /**
         * Keras' {@code "valid"} or {@code "same"} (TensorFlow's split, any stride).
         *
         * @throws IllegalArgumentException for anything else
         */
        public Builder padding(String mode) {
            switch (mode == null ? "" : mode) {
                case "valid" -> same = false;
                case "same" -> same = true;
                default -> throw new IllegalArgumentException("SeparableConv2d: padding must be \"valid\" or \"same\", got "
                        + (mode == null ? "null" : "\"" + mode + "\""));
            }
            options = options.padding(0);
            return this;
        }

        /** The layer. */
        public SeparableConv2d build() {
            return new SeparableConv2d(this);
        }
    }

    /** The depthwise convolution, weight [C·m, 1, kH, kW]. */
    public Conv2d depthwise() {
        return (Conv2d) child(dwName);
    }

    /** The pointwise convolution, weight [filters, C·m, 1, 1]. */
    public Conv2d pointwise() {
        return (Conv2d) child(pwName);
    }

    /** Input channels. */
    public int inChannels() {
        return inChannels;
    }

    /** Output channels. */
    public int filters() {
        return filters;
    }

    /** Depthwise kernels per input channel. */
    public int depthMultiplier() {
        return depthMultiplier;
    }

    /**
     * TensorFlow's {@code "same"} padding of one axis: {before, after}.
     *
     * @throws IllegalArgumentException when a size is not positive
     */
    public static int[] samePadding(int in, int kernel, int stride, int dilation) {
        if (in < 1 || kernel < 1 || stride < 1 || dilation < 1)
            throw new IllegalArgumentException("samePadding: expected positive sizes, got input " + in + ", kernel " + kernel
                    + ", stride " + stride + ", dilation " + dilation);
        long out = (in + (long) stride - 1) / stride;
        long total = Math.max((out - 1) * stride + (long) dilation * (kernel - 1) + 1 - in, 0);
        return new int[] {(int) (total / 2), (int) (total - total / 2)};
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() < 3 || input.size(input.dim() - 3) != inChannels)
            throw new IllegalArgumentException("SeparableConv2d: expected input [N, " + inChannels + ", H, W], got "
                    + Shape.str(input.shape()));
        Tensor x = input;
        if (tfSame && depthwiseOptions.paddingMode() != Conv2dOptions.PaddingMode.SAME) {
            int h = input.size(input.dim() - 2), w = input.size(input.dim() - 1);
            int[] ph = samePadding(h, kernelH, depthwiseOptions.strideH(), depthwiseOptions.dilationH());
            int[] pw = samePadding(w, kernelW, depthwiseOptions.strideW(), depthwiseOptions.dilationW());
            x = new ZeroPad2d(pw[0], pw[1], ph[0], ph[1]).forward(input);
        }
        return pointwise().call(depthwise().call(x));
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(filters).append(", kernel_size=")
                .append(PyTuple.of(kernelH, kernelW)).append(", stride=")
                .append(PyTuple.of(depthwiseOptions.strideH(), depthwiseOptions.strideW()));
        if (tfSame) s.append(", padding=same");
        if (depthMultiplier != 1) s.append(", depth_multiplier=").append(depthMultiplier);
        return s.toString();
    }
}
