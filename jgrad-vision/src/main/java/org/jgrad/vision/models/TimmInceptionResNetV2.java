package org.jgrad.vision.models;

import org.jgrad.nn.AvgPool2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.tensor.Tensor;

/**
 * Inception-ResNet-v2 (Szegedy et al., 2016) in timm's layout ({@code inception_resnet_v2}, the
 * Cadene port of TensorFlow's weights): the Inception stem ({@code conv2d_1a} … {@code conv2d_4a}),
 * {@code mixed_5b}, ten 35×35 residual blocks ({@code repeat}, {@link Block35}, scale 0.17), the
 * {@code mixed_6a} reduction, twenty 17×17 blocks ({@code repeat_1}, {@link Block17}, scale 0.10),
 * {@code mixed_7a}, nine 8×8 blocks ({@code repeat_2}, {@link Block8}, scale 0.20) and one without
 * ReLU ({@code block8}), a 1×1 conv to 1536 ({@code conv2d_7b}), global average pooling and
 * {@code classif}. Each residual block adds its branches' 1×1-projected concatenation, scaled, to
 * its input (the paper's residual scaling). Key names and the 55,843,464 parameters at 1000
 * classes are timm's. 299×299 inputs (at least 75).
 */
public class TimmInceptionResNetV2 extends Module {
    private static final double STD = 0.1;

    /** timm's {@code InceptionResnetV2(num_classes, in_chans)}. */
    public TimmInceptionResNetV2(int numClasses, int inChannels) {
        VGG.checkSizes("InceptionResNetV2", numClasses, inChannels);
        registerModule("conv2d_1a", conv(inChannels, 32, 3, 2, 0));
        registerModule("conv2d_2a", conv(32, 32, 3, 1, 0));
        registerModule("conv2d_2b", conv(32, 64, 3, 1, 1));
        registerModule("maxpool_3a", new MaxPool2d(3, 2));
        registerModule("conv2d_3b", conv(64, 80, 1, 1, 0));
        registerModule("conv2d_4a", conv(80, 192, 3, 1, 0));
        registerModule("maxpool_5a", new MaxPool2d(3, 2));
        registerModule("mixed_5b", new Branches(
                conv(192, 96, 1, 1, 0),
                new Sequential(conv(192, 48, 1, 1, 0), conv(48, 64, 5, 1, 2)),
                new Sequential(conv(192, 64, 1, 1, 0), conv(64, 96, 3, 1, 1), conv(96, 96, 3, 1, 1)),
                new Sequential(new AvgPool2d(3, 1, 1, false, false), conv(192, 64, 1, 1, 0))));
        Sequential repeat = new Sequential();
        for (int i = 0; i < 10; i++) repeat.append(new Block35(0.17));
        registerModule("repeat", repeat);
        registerModule("mixed_6a", new Branches(
                conv(320, 384, 3, 2, 0),
                new Sequential(conv(320, 256, 1, 1, 0), conv(256, 256, 3, 1, 1), conv(256, 384, 3, 2, 0)),
                new MaxPool2d(3, 2)));
        Sequential repeat1 = new Sequential();
        for (int i = 0; i < 20; i++) repeat1.append(new Block17(0.10));
        registerModule("repeat_1", repeat1);
        registerModule("mixed_7a", new Branches(
                new Sequential(conv(1088, 256, 1, 1, 0), conv(256, 384, 3, 2, 0)),
                new Sequential(conv(1088, 256, 1, 1, 0), conv(256, 288, 3, 2, 0)),
                new Sequential(conv(1088, 256, 1, 1, 0), conv(256, 288, 3, 1, 1), conv(288, 320, 3, 2, 0)),
                new MaxPool2d(3, 2)));
        Sequential repeat2 = new Sequential();
        for (int i = 0; i < 9; i++) repeat2.append(new Block8(0.20, true));
        registerModule("repeat_2", repeat2);
        registerModule("block8", new Block8(1.0, false));
        registerModule("conv2d_7b", conv(2080, 1536, 1, 1, 0));
        registerModule("classif", new Linear(1536, numClasses));
    }

    private static BasicConv2d conv(int in, int out, int k, int stride, int padding) {
        return new BasicConv2d(in, out, k, stride, padding, STD);
    }

    /** A 1×k or k×1 conv with "same" padding. */
    private static BasicConv2d conv(int in, int out, int kH, int kW) {
        return new BasicConv2d(in, out, kH, kW, Conv2dOptions.defaults().padding((kH - 1) / 2, (kW - 1) / 2), STD);
    }

    @Override
    public Tensor forward(Tensor x) {
        for (String s : new String[] {"conv2d_1a", "conv2d_2a", "conv2d_2b", "maxpool_3a", "conv2d_3b", "conv2d_4a",
            "maxpool_5a", "mixed_5b", "repeat", "mixed_6a", "repeat_1", "mixed_7a", "repeat_2", "block8", "conv2d_7b"})
            x = child(s).call(x);
        return child("classif").call(F.adaptiveAvgPool2d(x, 1).flatten(1, -1));
    }

    /** Parallel branches {@code branch0..branchK} concatenated along the channels (timm's Mixed_* modules). */
    public static class Branches extends Module {
        private final int count;

        /** The branches, in order. */
        public Branches(Module... branches) {
            count = branches.length;
            for (int i = 0; i < branches.length; i++) registerModule("branch" + i, branches[i]);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor[] outs = new Tensor[count];
            for (int i = 0; i < count; i++) outs[i] = child("branch" + i).call(x);
            return Tensor.cat(1, outs);
        }
    }

    /** A residual Inception block: relu(x + scale · conv2d(cat(branches))) (without the ReLU for the last Block8). */
    abstract static class Residual extends Module {
        private final double scale;
        private final boolean relu;

        Residual(double scale, boolean relu) {
            this.scale = scale;
            this.relu = relu;
        }

        abstract int branches();

        @Override
        public Tensor forward(Tensor x) {
            Tensor[] outs = new Tensor[branches()];
            for (int i = 0; i < outs.length; i++) outs[i] = child("branch" + i).call(x);
            Tensor out = child("conv2d").call(Tensor.cat(1, outs)).mul((float) scale).add(x);
            return relu ? F.relu(out) : out;
        }
    }

    /** The 35×35 block: 1×1 | 1×1 → 3×3 | 1×1 → 3×3 → 3×3, projected 128 → 320. */
    public static class Block35 extends Residual {
        /** timm's {@code Block35(scale)}. */
        public Block35(double scale) {
            super(scale, true);
            registerModule("branch0", conv(320, 32, 1, 1, 0));
            registerModule("branch1", new Sequential(conv(320, 32, 1, 1, 0), conv(32, 32, 3, 1, 1)));
            registerModule("branch2", new Sequential(conv(320, 32, 1, 1, 0), conv(32, 48, 3, 1, 1), conv(48, 64, 3, 1, 1)));
            registerModule("conv2d", new Conv2d(128, 320, 1));
        }

        @Override
        int branches() {
            return 3;
        }
    }

    /** The 17×17 block: 1×1 | 1×1 → 1×7 → 7×1, projected 384 → 1088. */
    public static class Block17 extends Residual {
        /** timm's {@code Block17(scale)}. */
        public Block17(double scale) {
            super(scale, true);
            registerModule("branch0", conv(1088, 192, 1, 1, 0));
            registerModule("branch1", new Sequential(conv(1088, 128, 1, 1, 0), conv(128, 160, 1, 7), conv(160, 192, 7, 1)));
            registerModule("conv2d", new Conv2d(384, 1088, 1));
        }

        @Override
        int branches() {
            return 2;
        }
    }

    /** The 8×8 block: 1×1 | 1×1 → 1×3 → 3×1, projected 448 → 2080. */
    public static class Block8 extends Residual {
        /** timm's {@code Block8(scale, no_relu)} with {@code relu} = !no_relu. */
        public Block8(double scale, boolean relu) {
            super(scale, relu);
            registerModule("branch0", conv(2080, 192, 1, 1, 0));
            registerModule("branch1", new Sequential(conv(2080, 192, 1, 1, 0), conv(192, 224, 1, 3), conv(224, 256, 3, 1)));
            registerModule("conv2d", new Conv2d(448, 2080, 1));
        }

        @Override
        int branches() {
            return 2;
        }
    }
}
