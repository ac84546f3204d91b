package org.jgrad.vision.models;

import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.SeparableConv2d;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.functional.F;
import org.jgrad.nn.init.Init;
import org.jgrad.tensor.Tensor;

/**
 * Xception (Chollet, 2017) in timm's legacy layout ({@code xception}, the Cadene port of the Keras
 * weights; newer timm calls it {@code legacy_xception}): a two-conv stem, twelve residual
 * {@link Block}s of depthwise separable convolutions (entry flow 128-256-728 with stride 2, eight
 * middle-flow blocks at 728, the exit block to 1024), two more separable convolutions to 1536 and
 * 2048, global average pooling and {@code fc}. The separable convolutions are
 * {@link SeparableConv2d} with timm's child names {@code conv1} (depthwise) and {@code pointwise}.
 * Key names and the 22,855,952 parameters (1000 classes) are timm's; Keras' Xception has the same
 * trainable parameters (its total adds the batch-norm moving statistics). Convolutions initialized
 * as timm does (Kaiming normal on fan-out), the head with PyTorch's default. 299×299 inputs.
 */
public class TimmXception extends Module {
    /** timm's {@code Xception(num_classes, in_chans)}. */
    public TimmXception(int numClasses, int inChannels) {
        VGG.checkSizes("Xception", numClasses, inChannels);
        registerModule("conv1", new Conv2d(inChannels, 32, 3, 3,
                org.jgrad.ops.Conv2dOptions.defaults().stride(2), false, null));
        registerModule("bn1", new BatchNorm2d(32));
        registerModule("act1", new ReLU());
        registerModule("conv2", new Conv2d(32, 64, 3, 3, org.jgrad.ops.Conv2dOptions.defaults(), false, null));
        registerModule("bn2", new BatchNorm2d(64));
        registerModule("act2", new ReLU());
        registerModule("block1", new Block(64, 128, 2, 2, false, true));
        registerModule("block2", new Block(128, 256, 2, 2, true, true));
        registerModule("block3", new Block(256, 728, 2, 2, true, true));
        for (int b = 4; b <= 11; b++) registerModule("block" + b, new Block(728, 728, 3, 1, true, true));
        registerModule("block12", new Block(728, 1024, 2, 2, true, false));
        registerModule("conv3", separable(1024, 1536));
        registerModule("bn3", new BatchNorm2d(1536));
        registerModule("act3", new ReLU());
        registerModule("conv4", separable(1536, 2048));
        registerModule("bn4", new BatchNorm2d(2048));
        registerModule("act4", new ReLU());
        registerModule("fc", new Linear(2048, numClasses));
        for (Module m : modules())
            if (m instanceof Conv2d c)
                ZooInit.normal(c.weight(), Init.calculateGain("relu") / Math.sqrt(Init.calculateFanInAndFanOut(c.weight()).fanOut()));
    }

    private static SeparableConv2d separable(int in, int out) {
        return SeparableConv2d.builder(in, out, 3).padding(1).bias(false).names("conv1", "pointwise").generator(null).build();
    }

    @Override
    public Tensor forward(Tensor x) {
        for (String s : new String[] {"conv1", "bn1", "act1", "conv2", "bn2", "act2"}) x = child(s).call(x);
        for (int b = 1; b <= 12; b++) x = child("block" + b).call(x);
        for (String s : new String[] {"conv3", "bn3", "act3", "conv4", "bn4", "act4"}) x = child(s).call(x);
        return child("fc").call(F.adaptiveAvgPool2d(x, 1).flatten(1, -1));
    }

    /**
     * timm's Xception block: {@code reps} × (ReLU, 3×3 separable conv, batch norm) in {@code rep},
     * a 3×3 max pool with the stride, and a shortcut ({@code skip} 1×1 conv + {@code skipbn} when
     * the shape changes) added to the result.
     */
    public static class Block extends Module {
        private final boolean projected;

        /** timm's {@code Block(in_channels, out_channels, reps, strides, start_with_relu, grow_first)}. */
        public Block(int in, int out, int reps, int stride, boolean startWithRelu, boolean growFirst) {
            projected = out != in || stride != 1;
            if (projected) {
                registerModule("skip", new Conv2d(in, out, 1, 1, org.jgrad.ops.Conv2dOptions.defaults().stride(stride), false, null));
                registerModule("skipbn", new BatchNorm2d(out));
            }
            Sequential rep = new Sequential();
            for (int i = 0; i < reps; i++) {
                int inc = growFirst ? (i == 0 ? in : out) : in;
                int outc = growFirst ? out : (i < reps - 1 ? in : out);
                if (i > 0 || startWithRelu) rep.append(new ReLU());
                rep.append(separable(inc, outc));
                rep.append(new BatchNorm2d(outc));
            }
            if (stride != 1) rep.append(new MaxPool2d(3, stride, 1));
            registerModule("rep", rep);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = child("rep").call(x);
            Tensor skip = projected ? child("skipbn").call(child("skip").call(x)) : x;
            return y.add(skip);
        }
    }
}
