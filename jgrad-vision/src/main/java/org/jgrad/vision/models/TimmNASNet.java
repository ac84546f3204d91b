package org.jgrad.vision.models;

import org.jgrad.nn.AvgPool2d;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.SeparableConv2d;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.ZeroPad2d;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.keras.TfPadding;

/**
 * NASNet-A Large (Zoph et al., 2018) in timm's layout ({@code nasnetalarge}, the Cadene port of
 * TensorFlow's weights): a 3×3/2 stem convolution {@code conv0} (96 filters, no padding), two stem
 * reduction cells ({@code cell_stem_0}, {@code cell_stem_1}), then three stacks of six normal cells
 * ({@code cell_0} … {@code cell_17}, the first of each stack a {@link FirstCell}) separated by
 * {@code reduction_cell_0} and {@code reduction_cell_1}, a ReLU, global average pooling and
 * {@code last_linear}. Each cell takes the previous cell's output and the one before it; channel
 * width 168 · 2^stack, 4032 before the classifier. Key names and the 88,753,150 parameters at 1000
 * classes are timm's.
 *
 * <p>The cells compute what Keras' NASNet cells compute (see
 * {@link org.jgrad.vision.models.keras.KerasNASNet}) but are laid out as timm's modules: every
 * branch is a {@link BranchSeparables} (ReLU, separable convolution, batch norm, twice; separable
 * convolutions with children {@code depthwise_conv2d} and {@code pointwise_conv2d}, no bias), every
 * normal cell projects both inputs ({@code conv_prev_1x1}, {@code conv_1x1}) and the first cell
 * after a reduction brings the older input down by the factorized reduction ({@code path_1},
 * {@code path_2}: 1×1 convolutions on the even grid and on the grid shifted by one). timm builds it
 * with {@code pad_type="same"}: stride-1 operations pad symmetrically; stride-2 separable
 * convolutions and poolings pad as TensorFlow's "same" for the input they get (max pooling with −∞,
 * which differs from Keras' zero padding before its pooling; average pooling with zeros that count
 * in the average). Batch norms use epsilon 1e-3; the weights start as PyTorch's defaults, as timm
 * leaves them. 331×331 inputs (at least 32).
 */
public class TimmNASNet extends Module {
    private static final double EPS = 1e-3;
    private static final String[] CELLS = cellNames();

    /** timm's {@code NASNetALarge(num_classes, in_chans)}: stem 96, 4032 features, channel multiplier 2. */
    public TimmNASNet(int numClasses, int inChannels) {
        VGG.checkSizes("NASNetALarge", numClasses, inChannels);
        int stem = 96, c = 4032 / 24;
        registerModule("conv0", Sequential.builder().add("conv", new Conv2d(inChannels, stem, 3, 2, 0, false))
                .add("bn", bn(stem)).build());
        registerModule("cell_stem_0", new CellStem0(stem, c / 4));
        registerModule("cell_stem_1", new CellStem1(stem, c / 2));
        registerModule("cell_0", new FirstCell(c, c / 2, 2 * c, c));
        registerModule("cell_1", new NormalCell(2 * c, c, 6 * c, c));
        for (int i = 2; i <= 5; i++) registerModule("cell_" + i, new NormalCell(6 * c, c, 6 * c, c));
        registerModule("reduction_cell_0", new ReductionCell(6 * c, 2 * c, 6 * c, 2 * c));
        registerModule("cell_6", new FirstCell(6 * c, c, 8 * c, 2 * c));
        registerModule("cell_7", new NormalCell(8 * c, 2 * c, 12 * c, 2 * c));
        for (int i = 8; i <= 11; i++) registerModule("cell_" + i, new NormalCell(12 * c, 2 * c, 12 * c, 2 * c));
        registerModule("reduction_cell_1", new ReductionCell(12 * c, 4 * c, 12 * c, 4 * c));
        registerModule("cell_12", new FirstCell(12 * c, 2 * c, 16 * c, 4 * c));
        registerModule("cell_13", new NormalCell(16 * c, 4 * c, 24 * c, 4 * c));
        for (int i = 14; i <= 17; i++) registerModule("cell_" + i, new NormalCell(24 * c, 4 * c, 24 * c, 4 * c));
        registerModule("act", new ReLU());
        registerModule("last_linear", new Linear(24 * c, numClasses));
    }

    private static String[] cellNames() {
        String[] names = new String[20];
        int n = 0;
        for (int i = 0; i <= 17; i++) {
            if (i == 6) names[n++] = "reduction_cell_0";
            if (i == 12) names[n++] = "reduction_cell_1";
            names[n++] = "cell_" + i;
        }
        return names;
    }

    private static BatchNorm2d bn(int channels) {
        return new BatchNorm2d(channels, EPS, 0.1, true, true);
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor conv0 = child("conv0").call(input);
        Tensor stem0 = child("cell_stem_0").call(conv0);
        Tensor prev = stem0, x = child("cell_stem_1").call(conv0, stem0);
        for (String name : CELLS) {
            // a reduction cell's successor still reads the cell before the reduction as its older input
            Tensor out = child(name).call(x, prev);
            prev = name.startsWith("reduction") ? prev : x;
            x = out;
        }
        x = child("act").call(x);
        return child("last_linear").call(F.adaptiveAvgPool2d(x, 1).flatten(1, -1));
    }

    /** The operations and combinations timm's cells share. */
    abstract static class Cell extends Module {
        Tensor run(String child, Tensor x) {
            return child(child).call(x);
        }

        /**
         * The reduction combination (stem and reduction cells): branches 0–2 each add an operation on
         * {@code a} to one on {@code b}, branch 3 pools branch 0 and adds branch 1, branch 4 runs branch 0
         * through a separable branch and adds a pooling of {@code a}; the output concatenates branches 1–4.
         */
        Tensor reduce(Tensor a, Tensor b) {
            Tensor c0 = run("comb_iter_0_left", a).add(run("comb_iter_0_right", b));
            Tensor c1 = run("comb_iter_1_left", a).add(run("comb_iter_1_right", b));
            Tensor c2 = run("comb_iter_2_left", a).add(run("comb_iter_2_right", b));
            Tensor c3 = run("comb_iter_3_right", c0).add(c1);
            Tensor c4 = run("comb_iter_4_left", c0).add(run("comb_iter_4_right", a));
            return Tensor.cat(1, c1, c2, c3, c4);
        }

        /** The registrations of {@link #reduce}'s operations; {@code wide} is the width of {@code a} and the output. */
        void registerReduction(int bWidth, int wide, boolean stemCell) {
            registerModule("comb_iter_0_left", new BranchSeparables(wide, wide, 5, 2, false));
            registerModule("comb_iter_0_right", new BranchSeparables(bWidth, wide, 7, 2, stemCell));
            registerModule("comb_iter_1_left", new SamePool2d(true));
            registerModule("comb_iter_1_right", new BranchSeparables(bWidth, wide, 7, 2, stemCell));
            registerModule("comb_iter_2_left", new SamePool2d(false));
            registerModule("comb_iter_2_right", new BranchSeparables(bWidth, wide, 5, 2, stemCell));
            registerModule("comb_iter_3_right", avg3());
            registerModule("comb_iter_4_left", new BranchSeparables(wide, wide, 3, 1, false));
            registerModule("comb_iter_4_right", new SamePool2d(true));
        }

        /**
         * The normal combination: {@code left} is the older input after its projection, {@code right}
         * the newer; the output concatenates {@code left} and the five branch sums.
         */
        Tensor normal(Tensor left, Tensor right) {
            Tensor c0 = run("comb_iter_0_left", right).add(run("comb_iter_0_right", left));
            Tensor c1 = run("comb_iter_1_left", left).add(run("comb_iter_1_right", left));
            Tensor c2 = run("comb_iter_2_left", right).add(left);
            Tensor c3 = run("comb_iter_3_left", left).add(run("comb_iter_3_right", left));
            Tensor c4 = run("comb_iter_4_left", right).add(right);
            return Tensor.cat(1, left, c0, c1, c2, c3, c4);
        }

        /** The registrations of {@link #normal}'s operations. */
        void registerNormal(int leftWidth, int rightWidth) {
            registerModule("comb_iter_0_left", new BranchSeparables(rightWidth, rightWidth, 5, 1, false));
            registerModule("comb_iter_0_right", new BranchSeparables(leftWidth, leftWidth, 3, 1, false));
            registerModule("comb_iter_1_left", new BranchSeparables(leftWidth, leftWidth, 5, 1, false));
            registerModule("comb_iter_1_right", new BranchSeparables(leftWidth, leftWidth, 3, 1, false));
            registerModule("comb_iter_2_left", avg3());
            registerModule("comb_iter_3_left", avg3());
            registerModule("comb_iter_3_right", avg3());
            registerModule("comb_iter_4_left", new BranchSeparables(rightWidth, rightWidth, 3, 1, false));
        }

        /**
         * The factorized reduction of the older input: ReLU ({@code act}), then 1×1 convolutions on
         * every other pixel from (0, 0) ({@code path_1}) and from (1, 1) ({@code path_2}, which crops
         * the first row and column and pads a zero one at the end), concatenated and batch-normed.
         */
        void registerFactorized(int in, int half) {
            registerModule("act", new ReLU());
            registerModule("path_1", Sequential.builder().add("avgpool", new AvgPool2d(1, 2, 0, false, false))
                    .add("conv", new Conv2d(in, half, 1, 1, 0, false)).build());
            registerModule("path_2", Sequential.builder().add("pad", new ZeroPad2d(-1, 1, -1, 1))
                    .add("avgpool", new AvgPool2d(1, 2, 0, false, false)).add("conv", new Conv2d(in, half, 1, 1, 0, false)).build());
            registerModule("final_path_bn", bn(2 * half));
        }

        Tensor factorized(Tensor x) {
            Tensor r = run("act", x);
            return run("final_path_bn", Tensor.cat(1, run("path_1", r), run("path_2", r)));
        }

        private static AvgPool2d avg3() {
            return new AvgPool2d(3, 1, 1, false, false);
        }
    }

    /** A cell of two inputs, the newer ({@code x}) and the older ({@code x_prev}). */
    abstract static class TwoInputCell extends Cell {
        @Override
        public Tensor forward(Tensor input) {
            throw new IllegalArgumentException(name() + ".forward: expected 2 inputs (x, x_prev), got 1");
        }

        @Override
        public Tensor forward(Tensor... inputs) {
            if (inputs.length != 2)
                throw new IllegalArgumentException(name() + ".forward: expected 2 inputs (x, x_prev), got " + inputs.length);
            return forward(inputs[0], inputs[1]);
        }

        abstract Tensor forward(Tensor x, Tensor xPrev);
    }

    /** timm's {@code CellStem0}: the reduction combination of the stem output's 1×1 projection and the stem output. */
    static final class CellStem0 extends Cell {
        CellStem0(int stem, int channels) {
            registerModule("conv_1x1", new ActConvBn(stem, channels));
            registerReduction(stem, channels, true);
        }

        @Override
        public Tensor forward(Tensor x) {
            return reduce(run("conv_1x1", x), x);
        }
    }

    /** timm's {@code CellStem1}: the stem output, factorized-reduced, and cell_stem_0's, projected. */
    static final class CellStem1 extends TwoInputCell {
        CellStem1(int stem, int channels) {
            registerModule("conv_1x1", new ActConvBn(2 * channels, channels));
            registerFactorized(stem, channels / 2);
            registerReduction(channels, channels, false);
        }

        @Override
        Tensor forward(Tensor conv0, Tensor stem0) {
            return reduce(run("conv_1x1", stem0), factorized(conv0));
        }
    }

    /** timm's {@code FirstCell}: a normal cell whose older input is twice as large (factorized reduction). */
    static final class FirstCell extends TwoInputCell {
        FirstCell(int inLeft, int outLeft, int inRight, int outRight) {
            registerModule("conv_1x1", new ActConvBn(inRight, outRight));
            registerFactorized(inLeft, outLeft);
            registerNormal(2 * outLeft, outRight);
        }

        @Override
        Tensor forward(Tensor x, Tensor xPrev) {
            return normal(factorized(xPrev), run("conv_1x1", x));
        }
    }

    /** timm's {@code NormalCell}: both inputs projected by 1×1 convolutions. */
    static final class NormalCell extends TwoInputCell {
        NormalCell(int inLeft, int outLeft, int inRight, int outRight) {
            registerModule("conv_prev_1x1", new ActConvBn(inLeft, outLeft));
            registerModule("conv_1x1", new ActConvBn(inRight, outRight));
            registerNormal(outLeft, outRight);
        }

        @Override
        Tensor forward(Tensor x, Tensor xPrev) {
            return normal(run("conv_prev_1x1", xPrev), run("conv_1x1", x));
        }
    }

    /** timm's {@code ReductionCell0} and {@code ReductionCell1} (the same module). */
    static final class ReductionCell extends TwoInputCell {
        ReductionCell(int inLeft, int outLeft, int inRight, int outRight) {
            registerModule("conv_prev_1x1", new ActConvBn(inLeft, outLeft));
            registerModule("conv_1x1", new ActConvBn(inRight, outRight));
            registerReduction(outLeft, outRight, false);
        }

        @Override
        Tensor forward(Tensor x, Tensor xPrev) {
            return reduce(run("conv_1x1", x), run("conv_prev_1x1", xPrev));
        }
    }

    /** timm's {@code ActConvBn}: ReLU, 1×1 convolution without bias, batch norm. */
    static final class ActConvBn extends Module {
        ActConvBn(int in, int out) {
            registerModule("act", new ReLU());
            registerModule("conv", new Conv2d(in, out, 1, 1, 0, false));
            registerModule("bn", bn(out));
        }

        @Override
        public Tensor forward(Tensor x) {
            return child("bn").call(child("conv").call(child("act").call(x)));
        }
    }

    /**
     * timm's {@code BranchSeparables}: (ReLU, separable convolution, batch norm) twice; the first
     * convolution has the stride and keeps the input's width, or goes to the output width at once in
     * the stem cells.
     */
    static final class BranchSeparables extends Module {
        private static final String[] ORDER = {"act_1", "separable_1", "bn_sep_1", "act_2", "separable_2", "bn_sep_2"};

        BranchSeparables(int in, int out, int kernel, int stride, boolean stemCell) {
            int middle = stemCell ? out : in;
            registerModule("act_1", new ReLU());
            registerModule("separable_1", separable(in, middle, kernel, stride));
            registerModule("bn_sep_1", bn(middle));
            registerModule("act_2", new ReLU());
            registerModule("separable_2", separable(middle, out, kernel, 1));
            registerModule("bn_sep_2", bn(out));
        }

        private static SeparableConv2d separable(int in, int out, int kernel, int stride) {
            return SeparableConv2d.builder(in, out, kernel).stride(stride).padding("same").bias(false)
                    .names("depthwise_conv2d", "pointwise_conv2d").build();
        }

        @Override
        public Tensor forward(Tensor x) {
            for (String s : ORDER) x = child(s).call(x);
            return x;
        }
    }

    /** timm's {@code MaxPool2dSame} / {@code AvgPool2dSame} with a 3×3 window and stride 2. */
    static final class SamePool2d extends Module {
        private final boolean max;

        SamePool2d(boolean max) {
            this.max = max;
        }

        @Override
        public Tensor forward(Tensor x) {
            return max ? TfPadding.maxPoolSame(x, 3, 2) : F.avgPool2d(TfPadding.zeroSame(x, 3, 2), 3, 2, 0);
        }

        @Override
        public String name() {
            return max ? "MaxPool2dSame" : "AvgPool2dSame";
        }

        @Override
        public String extraRepr() {
            return "kernel_size=3, stride=2";
        }
    }
}
