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
import org.jgrad.nn.Sequential;
import org.jgrad.nn.functional.F;
import org.jgrad.nn.init.Init;
import org.jgrad.tensor.Tensor;

/**
 * GoogLeNet (Szegedy et al., 2014, "Going deeper with convolutions") as torchvision builds it: a
 * conv stem, nine {@link Inception} modules (four parallel branches concatenated), global average
 * pooling, dropout and {@code fc}, plus two auxiliary classifiers ({@code aux1} after
 * {@code inception4a}, {@code aux2} after {@code inception4d}) that run only in training mode.
 * Key names and counts equal torchvision's {@code googlenet}: 13,004,888 parameters at 1000
 * classes with the auxiliary heads, 6,624,904 without. Like torchvision, the "5×5" branch uses a
 * 3×3 kernel (torchvision issue 906), so ImageNet weights trained there load unchanged.
 *
 * <p>In training mode with the auxiliary heads, {@link #forwardOutputs} returns all three logits
 * ({@link Out}); {@link #call} returns the main logits alone, in either mode.
 */
public class GoogLeNet extends MultiOutputModule<GoogLeNet.Out> {
    private static final double STD = 0.01;
    private final boolean auxLogits;

    /**
     * The three logits of a training-mode forward pass, as torchvision's {@code GoogLeNetOutputs}
     * holds them: the main head's, then {@code aux1}'s and {@code aux2}'s (null in eval mode or
     * without auxiliary heads).
     */
    public record Out(Tensor logits, Tensor aux1, Tensor aux2) implements Outputs {
        @Override
        public List<Tensor> tensors() {
            List<Tensor> t = new ArrayList<>(3);
            t.add(logits);
            if (aux1 != null) t.add(aux1);
            if (aux2 != null) t.add(aux2);
            return t;
        }
    }

    /**
     * @param auxLogits whether to build the two auxiliary classifiers (torchvision: true)
     * @param dropout before {@code fc} (torchvision: 0.2)
     * @param dropoutAux in the auxiliary heads (torchvision: 0.7)
     */
    public GoogLeNet(int numClasses, int inChannels, boolean auxLogits, double dropout, double dropoutAux) {
        VGG.checkSizes("GoogLeNet", numClasses, inChannels);
        this.auxLogits = auxLogits;
        registerModule("conv1", new BasicConv2d(inChannels, 64, 7, 2, 3, STD));
        registerModule("maxpool1", new MaxPool2d(3, 2, 0, 1, true));
        registerModule("conv2", new BasicConv2d(64, 64, 1, 1, 0, STD));
        registerModule("conv3", new BasicConv2d(64, 192, 3, 1, 1, STD));
        registerModule("maxpool2", new MaxPool2d(3, 2, 0, 1, true));
        registerModule("inception3a", new Inception(192, 64, 96, 128, 16, 32, 32));
        registerModule("inception3b", new Inception(256, 128, 128, 192, 32, 96, 64));
        registerModule("maxpool3", new MaxPool2d(3, 2, 0, 1, true));
        registerModule("inception4a", new Inception(480, 192, 96, 208, 16, 48, 64));
        registerModule("inception4b", new Inception(512, 160, 112, 224, 24, 64, 64));
        registerModule("inception4c", new Inception(512, 128, 128, 256, 24, 64, 64));
        registerModule("inception4d", new Inception(512, 112, 144, 288, 32, 64, 64));
        registerModule("inception4e", new Inception(528, 256, 160, 320, 32, 128, 128));
        registerModule("maxpool4", new MaxPool2d(2, 2, 0, 1, true));
        registerModule("inception5a", new Inception(832, 256, 160, 320, 32, 128, 128));
        registerModule("inception5b", new Inception(832, 384, 192, 384, 48, 128, 128));
        if (auxLogits) {
            registerModule("aux1", new Aux(512, numClasses, dropoutAux));
            registerModule("aux2", new Aux(528, numClasses, dropoutAux));
        }
        registerModule("avgpool", new AdaptiveAvgPool2d(1));
        registerModule("dropout", new Dropout(dropout));
        registerModule("fc", truncLinear(1024, numClasses));
    }

    static Linear truncLinear(int in, int out) {
        Linear l = new Linear(in, out, true, null);
        ZooInit.truncNormal(l.weight(), STD);
        // torchvision leaves the bias at PyTorch's default, U(±1/√in)
        double bound = 1 / Math.sqrt(in);
        Init.uniform(l.bias(), -bound, bound, ZooInit.gen());
        return l;
    }

    @Override
    public Out forwardOutputs(Tensor... inputs) {
        if (inputs.length != 1) throw new IllegalArgumentException("GoogLeNet: expected one input, got " + inputs.length);
        Tensor x = inputs[0];
        for (String s : new String[] {"conv1", "maxpool1", "conv2", "conv3", "maxpool2", "inception3a", "inception3b",
            "maxpool3", "inception4a"}) x = child(s).call(x);
        boolean aux = auxLogits && isTraining();
        Tensor a1 = aux ? child("aux1").call(x) : null;
        for (String s : new String[] {"inception4b", "inception4c", "inception4d"}) x = child(s).call(x);
        Tensor a2 = aux ? child("aux2").call(x) : null;
        for (String s : new String[] {"inception4e", "maxpool4", "inception5a", "inception5b", "avgpool"}) x = child(s).call(x);
        x = child("fc").call(child("dropout").call(x.flatten(1, -1)));
        return new Out(x, a1, a2);
    }

    /** GoogLeNet's module: 1×1 | 1×1 → 3×3 | 1×1 → 3×3 | 3×3 max pool → 1×1, concatenated. */
    public static class Inception extends Module {
        /** torchvision's {@code Inception(in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj)}. */
        public Inception(int in, int ch1x1, int ch3x3red, int ch3x3, int ch5x5red, int ch5x5, int poolProj) {
            registerModule("branch1", new BasicConv2d(in, ch1x1, 1, 1, 0, STD));
            registerModule("branch2", new Sequential(new BasicConv2d(in, ch3x3red, 1, 1, 0, STD),
                    new BasicConv2d(ch3x3red, ch3x3, 3, 1, 1, STD)));
            registerModule("branch3", new Sequential(new BasicConv2d(in, ch5x5red, 1, 1, 0, STD),
                    new BasicConv2d(ch5x5red, ch5x5, 3, 1, 1, STD)));
            registerModule("branch4", new Sequential(new MaxPool2d(3, 1, 1, 1, true), new BasicConv2d(in, poolProj, 1, 1, 0, STD)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return Tensor.cat(1, child("branch1").call(x), child("branch2").call(x), child("branch3").call(x),
                    child("branch4").call(x));
        }
    }

    /** GoogLeNet's auxiliary classifier: 4×4 average pool, 1×1 conv to 128, fc1 (2048 → 1024), ReLU, dropout, fc2. */
    public static class Aux extends Module {
        /** torchvision's {@code InceptionAux(in_channels, num_classes, dropout)}. */
        public Aux(int in, int numClasses, double dropout) {
            registerModule("conv", new BasicConv2d(in, 128, 1, 1, 0, STD));
            registerModule("fc1", truncLinear(2048, 1024));
            registerModule("fc2", truncLinear(1024, numClasses));
            registerModule("dropout", new Dropout(dropout));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = child("conv").call(F.adaptiveAvgPool2d(x, 4)).flatten(1, -1);
            h = child("dropout").call(F.relu(child("fc1").call(h)));
            return child("fc2").call(h);
        }
    }
}
