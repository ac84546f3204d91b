package org.jgrad.vision.models;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.nn.AdaptiveAvgPool2d;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.MultiOutputModule;
import org.jgrad.nn.Outputs;
import org.jgrad.nn.functional.F;
import org.jgrad.nn.init.Init;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.tensor.Tensor;

/**
 * Inception v3 (Szegedy et al., 2015, "Rethinking the Inception architecture") as torchvision
 * builds it for 299×299 inputs: a conv stem, three {@link A} modules, a grid reduction
 * ({@link B}), four {@link C} modules with factorized 1×7/7×1 convs, another reduction
 * ({@link D}), two {@link E} modules with split 1×3/3×1 branches, global average pooling, dropout
 * and {@code fc}; plus the auxiliary classifier {@code AuxLogits} after {@code Mixed_6e}, which
 * runs in training mode only. Key names ({@code Mixed_6b.branch7x7_2.conv.weight}) and counts equal
 * torchvision's {@code inception_v3}: 27,161,264 parameters at 1000 classes with the auxiliary
 * head, 23,834,568 without. Inputs need at least 75×75 pixels (139×139 with the auxiliary head in
 * training mode).
 *
 * <p>In training mode with the auxiliary head, {@link #forwardOutputs} returns both logits
 * ({@link Out}, torchvision's {@code InceptionOutputs}); {@link #call} returns the main logits.
 */
public class InceptionV3 extends MultiOutputModule<InceptionV3.Out> {
    private static final double STD = 0.1;
    private final boolean auxLogits;

    /** The main logits and the auxiliary head's (null in eval mode or without the head). */
    public record Out(Tensor logits, Tensor auxLogits) implements Outputs {
        @Override
        public List<Tensor> tensors() {
            List<Tensor> t = new ArrayList<>(2);
            t.add(logits);
            if (auxLogits != null) t.add(auxLogits);
            return t;
        }
    }

    /**
     * @param auxLogits whether to build {@code AuxLogits} (torchvision: true)
     * @param dropout before {@code fc} (torchvision: 0.5)
     */
    public InceptionV3(int numClasses, int inChannels, boolean auxLogits, double dropout) {
        VGG.checkSizes("InceptionV3", numClasses, inChannels);
        this.auxLogits = auxLogits;
        registerModule("Conv2d_1a_3x3", conv(inChannels, 32, 3, 2, 0));
        registerModule("Conv2d_2a_3x3", conv(32, 32, 3, 1, 0));
        registerModule("Conv2d_2b_3x3", conv(32, 64, 3, 1, 1));
        registerModule("maxpool1", new MaxPool2d(3, 2));
        registerModule("Conv2d_3b_1x1", conv(64, 80, 1, 1, 0));
        registerModule("Conv2d_4a_3x3", conv(80, 192, 3, 1, 0));
        registerModule("maxpool2", new MaxPool2d(3, 2));
        registerModule("Mixed_5b", new A(192, 32));
        registerModule("Mixed_5c", new A(256, 64));
        registerModule("Mixed_5d", new A(288, 64));
        registerModule("Mixed_6a", new B(288));
        registerModule("Mixed_6b", new C(768, 128));
        registerModule("Mixed_6c", new C(768, 160));
        registerModule("Mixed_6d", new C(768, 160));
        registerModule("Mixed_6e", new C(768, 192));
        if (auxLogits) registerModule("AuxLogits", new Aux(768, numClasses));
        registerModule("Mixed_7a", new D(768));
        registerModule("Mixed_7b", new E(1280));
        registerModule("Mixed_7c", new E(2048));
        registerModule("avgpool", new AdaptiveAvgPool2d(1));
        registerModule("dropout", new Dropout(dropout));
        registerModule("fc", linear(2048, numClasses, STD));
    }

    private static BasicConv2d conv(int in, int out, int k, int stride, int padding) {
        return new BasicConv2d(in, out, k, stride, padding, STD);
    }

    /** A 1×k (wide) or k×1 conv with "same" padding, as the factorized branches use. */
    private static BasicConv2d conv(int in, int out, int kH, int kW) {
        return new BasicConv2d(in, out, kH, kW, Conv2dOptions.defaults().padding((kH - 1) / 2, (kW - 1) / 2), STD);
    }

    private static Linear linear(int in, int out, double std) {
        Linear l = new Linear(in, out, true, null);
        ZooInit.truncNormal(l.weight(), std);
        double bound = 1 / Math.sqrt(in); // torchvision keeps PyTorch's default bias
        Init.uniform(l.bias(), -bound, bound, ZooInit.gen());
        return l;
    }

    @Override
    public Out forwardOutputs(Tensor... inputs) {
        if (inputs.length != 1) throw new IllegalArgumentException("InceptionV3: expected one input, got " + inputs.length);
        Tensor x = inputs[0];
        if (x.dim() == 4 && (x.size(2) < 75 || x.size(3) < 75))
            throw new IllegalArgumentException("InceptionV3: inputs need at least 75x75 pixels, got " + x.size(2) + "x" + x.size(3));
        for (String s : new String[] {"Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "maxpool1", "Conv2d_3b_1x1",
            "Conv2d_4a_3x3", "maxpool2", "Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d",
            "Mixed_6e"}) x = child(s).call(x);
        Tensor aux = auxLogits && isTraining() ? child("AuxLogits").call(x) : null;
        for (String s : new String[] {"Mixed_7a", "Mixed_7b", "Mixed_7c", "avgpool", "dropout"}) x = child(s).call(x);
        return new Out(child("fc").call(x.flatten(1, -1)), aux);
    }

    private static Tensor avgPool3(Tensor x) {
        return F.avgPool2d(x, 3, 1, 1);
    }

    /** InceptionA (35×35): 1×1 | 1×1 → 5×5 | 1×1 → 3×3 → 3×3 | 3×3 average pool → 1×1. */
    public static class A extends Module {
        /** torchvision's {@code InceptionA(in_channels, pool_features)}. */
        public A(int in, int poolFeatures) {
            registerModule("branch1x1", conv(in, 64, 1, 1, 0));
            registerModule("branch5x5_1", conv(in, 48, 1, 1, 0));
            registerModule("branch5x5_2", conv(48, 64, 5, 1, 2));
            registerModule("branch3x3dbl_1", conv(in, 64, 1, 1, 0));
            registerModule("branch3x3dbl_2", conv(64, 96, 3, 1, 1));
            registerModule("branch3x3dbl_3", conv(96, 96, 3, 1, 1));
            registerModule("branch_pool", conv(in, poolFeatures, 1, 1, 0));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor b1 = child("branch1x1").call(x);
            Tensor b5 = child("branch5x5_2").call(child("branch5x5_1").call(x));
            Tensor b3 = child("branch3x3dbl_3").call(child("branch3x3dbl_2").call(child("branch3x3dbl_1").call(x)));
            Tensor bp = child("branch_pool").call(avgPool3(x));
            return Tensor.cat(1, b1, b5, b3, bp);
        }
    }

    /** InceptionB, the 35 → 17 reduction: 3×3/2 | 1×1 → 3×3 → 3×3/2 | 3×3/2 max pool. */
    public static class B extends Module {
        /** torchvision's {@code InceptionB(in_channels)}. */
        public B(int in) {
            registerModule("branch3x3", conv(in, 384, 3, 2, 0));
            registerModule("branch3x3dbl_1", conv(in, 64, 1, 1, 0));
            registerModule("branch3x3dbl_2", conv(64, 96, 3, 1, 1));
            registerModule("branch3x3dbl_3", conv(96, 96, 3, 2, 0));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor b3 = child("branch3x3").call(x);
            Tensor bd = child("branch3x3dbl_3").call(child("branch3x3dbl_2").call(child("branch3x3dbl_1").call(x)));
            return Tensor.cat(1, b3, bd, F.maxPool2d(x, 3, 2, 0));
        }
    }

    /** InceptionC (17×17): 1×1 | 1×1 → 1×7 → 7×1 | 1×1 → 7×1 → 1×7 → 7×1 → 1×7 | 3×3 average pool → 1×1. */
    public static class C extends Module {
        /** torchvision's {@code InceptionC(in_channels, channels_7x7)}. */
        public C(int in, int c7) {
            registerModule("branch1x1", conv(in, 192, 1, 1, 0));
            registerModule("branch7x7_1", conv(in, c7, 1, 1, 0));
            registerModule("branch7x7_2", conv(c7, c7, 1, 7));
            registerModule("branch7x7_3", conv(c7, 192, 7, 1));
            registerModule("branch7x7dbl_1", conv(in, c7, 1, 1, 0));
            registerModule("branch7x7dbl_2", conv(c7, c7, 7, 1));
            registerModule("branch7x7dbl_3", conv(c7, c7, 1, 7));
            registerModule("branch7x7dbl_4", conv(c7, c7, 7, 1));
            registerModule("branch7x7dbl_5", conv(c7, 192, 1, 7));
            registerModule("branch_pool", conv(in, 192, 1, 1, 0));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor b1 = child("branch1x1").call(x);
            Tensor b7 = x;
            for (int i = 1; i <= 3; i++) b7 = child("branch7x7_" + i).call(b7);
            Tensor bd = x;
            for (int i = 1; i <= 5; i++) bd = child("branch7x7dbl_" + i).call(bd);
            Tensor bp = child("branch_pool").call(avgPool3(x));
            return Tensor.cat(1, b1, b7, bd, bp);
        }
    }

    /** InceptionD, the 17 → 8 reduction: 1×1 → 3×3/2 | 1×1 → 1×7 → 7×1 → 3×3/2 | 3×3/2 max pool. */
    public static class D extends Module {
        /** torchvision's {@code InceptionD(in_channels)}. */
        public D(int in) {
            registerModule("branch3x3_1", conv(in, 192, 1, 1, 0));
            registerModule("branch3x3_2", conv(192, 320, 3, 2, 0));
            registerModule("branch7x7x3_1", conv(in, 192, 1, 1, 0));
            registerModule("branch7x7x3_2", conv(192, 192, 1, 7));
            registerModule("branch7x7x3_3", conv(192, 192, 7, 1));
            registerModule("branch7x7x3_4", conv(192, 192, 3, 2, 0));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor b3 = child("branch3x3_2").call(child("branch3x3_1").call(x));
            Tensor b7 = x;
            for (int i = 1; i <= 4; i++) b7 = child("branch7x7x3_" + i).call(b7);
            return Tensor.cat(1, b3, b7, F.maxPool2d(x, 3, 2, 0));
        }
    }

    /** InceptionE (8×8): 1×1 | 1×1 → (1×3, 3×1) | 1×1 → 3×3 → (1×3, 3×1) | 3×3 average pool → 1×1. */
    public static class E extends Module {
        /** torchvision's {@code InceptionE(in_channels)}. */
        public E(int in) {
            registerModule("branch1x1", conv(in, 320, 1, 1, 0));
            registerModule("branch3x3_1", conv(in, 384, 1, 1, 0));
            registerModule("branch3x3_2a", conv(384, 384, 1, 3));
            registerModule("branch3x3_2b", conv(384, 384, 3, 1));
            registerModule("branch3x3dbl_1", conv(in, 448, 1, 1, 0));
            registerModule("branch3x3dbl_2", conv(448, 384, 3, 1, 1));
            registerModule("branch3x3dbl_3a", conv(384, 384, 1, 3));
            registerModule("branch3x3dbl_3b", conv(384, 384, 3, 1));
            registerModule("branch_pool", conv(in, 192, 1, 1, 0));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor b1 = child("branch1x1").call(x);
            Tensor b3 = child("branch3x3_1").call(x);
            Tensor b3a = child("branch3x3_2a").call(b3), b3b = child("branch3x3_2b").call(b3);
            Tensor bd = child("branch3x3dbl_2").call(child("branch3x3dbl_1").call(x));
            Tensor bda = child("branch3x3dbl_3a").call(bd), bdb = child("branch3x3dbl_3b").call(bd);
            Tensor bp = child("branch_pool").call(avgPool3(x));
            // one concatenation instead of torchvision's three: the same channels in the same order
            return Tensor.cat(1, b1, b3a, b3b, bda, bdb, bp);
        }
    }

    /** The auxiliary classifier: 5×5/3 average pool, 1×1 conv to 128, 5×5 conv to 768, global average pool, fc. */
    public static class Aux extends Module {
        /** torchvision's {@code InceptionAux(in_channels, num_classes)}. */
        public Aux(int in, int numClasses) {
            registerModule("conv0", conv(in, 128, 1, 1, 0));
            // torchvision sets stddev 0.01 on the BasicConv2d, which its init loop never reads (it looks
            // at the Conv2d): the conv gets the default 0.1. The fc's 0.001 is read.
            registerModule("conv1", conv(128, 768, 5, 1, 0));
            registerModule("fc", linear(768, numClasses, 0.001));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = child("conv1").call(child("conv0").call(F.avgPool2d(x, 5, 3, 0)));
            return child("fc").call(F.adaptiveAvgPool2d(h, 1).flatten(1, -1));
        }
    }
}
