package org.jgrad.vision.models;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.AvgPool2d;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/**
 * DenseNet-BC (Huang et al., 2017) as torchvision builds it: a 7×7/2 conv stem with batch norm,
 * ReLU and a 3×3/2 max pool, four dense blocks ({@link DenseBlock}: every layer reads the
 * concatenation of all earlier feature maps and adds {@code growthRate} channels) joined by
 * transitions (batch norm, ReLU, 1×1 conv halving the channels, 2×2 average pool), a final batch
 * norm, ReLU, global average pooling and the {@code classifier}. Key names
 * ({@code features.denseblock1.denselayer1.norm1.weight}) and parameter counts equal
 * torchvision's: DenseNet-121/169/201 have 7,978,856 / 14,149,480 / 20,013,928 at 1000 classes.
 */
public class DenseNet extends Module {
    /** Layers per block of DenseNet-121. */
    public static final int[] BLOCKS_121 = {6, 12, 24, 16};
    /** Layers per block of DenseNet-169. */
    public static final int[] BLOCKS_169 = {6, 12, 32, 32};
    /** Layers per block of DenseNet-201. */
    public static final int[] BLOCKS_201 = {6, 12, 48, 32};

    /**
     * @param growthRate channels each layer adds (k; torchvision: 32)
     * @param blocks layers per dense block
     * @param initFeatures channels of the stem (torchvision: 64)
     * @param bnSize bottleneck width in multiples of k (torchvision: 4)
     */
    public DenseNet(int growthRate, int[] blocks, int initFeatures, int bnSize, int numClasses, int inChannels) {
        VGG.checkSizes("DenseNet", numClasses, inChannels);
        if (growthRate <= 0 || initFeatures <= 0 || bnSize <= 0 || blocks.length == 0)
            throw new IllegalArgumentException("DenseNet: growth_rate, num_init_features and bn_size must be positive and"
                    + " there must be at least one block, got " + growthRate + ", " + initFeatures + ", " + bnSize + ", "
                    + blocks.length + " blocks");
        Sequential features = new Sequential();
        features.append("conv0", ZooInit.kaimingFanInConv(inChannels, initFeatures, 7, 2, 3));
        features.append("norm0", new BatchNorm2d(initFeatures));
        features.append("relu0", new ReLU());
        features.append("pool0", new MaxPool2d(3, 2, 1));
        int c = initFeatures;
        for (int i = 0; i < blocks.length; i++) {
            if (blocks[i] <= 0) throw new IllegalArgumentException("DenseNet: block " + (i + 1) + " has " + blocks[i] + " layers");
            features.append("denseblock" + (i + 1), new DenseBlock(blocks[i], c, bnSize, growthRate));
            c += blocks[i] * growthRate;
            if (i != blocks.length - 1) {
                Sequential t = new Sequential();
                t.append("norm", new BatchNorm2d(c));
                t.append("relu", new ReLU());
                t.append("conv", ZooInit.kaimingFanInConv(c, c / 2, 1, 1, 0));
                t.append("pool", new AvgPool2d(2, 2));
                features.append("transition" + (i + 1), t);
                c /= 2;
            }
        }
        features.append("norm5", new BatchNorm2d(c));
        registerModule("features", features);
        // torchvision zeroes the classifier's bias and keeps PyTorch's default weight.
        Linear fc = new Linear(c, numClasses);
        java.util.Arrays.fill(TensorData.floats(fc.bias()), 0f);
        registerModule("classifier", fc);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor f = F.adaptiveAvgPool2d(F.relu(child("features").call(x)), 1);
        return child("classifier").call(f.flatten(1, -1));
    }

    /**
     * One dense block, torchvision's {@code _DenseBlock}: layer i reads the concatenation of the
     * block's input and the i earlier layers' outputs; the block returns the concatenation of all.
     */
    public static class DenseBlock extends Module {
        private final int layers;

        /** {@code layers} layers on {@code inFeatures} input channels. */
        public DenseBlock(int layers, int inFeatures, int bnSize, int growthRate) {
            this.layers = layers;
            for (int i = 0; i < layers; i++)
                registerModule("denselayer" + (i + 1), new DenseLayer(inFeatures + i * growthRate, growthRate, bnSize));
        }

        @Override
        public Tensor forward(Tensor x) {
            List<Tensor> features = new ArrayList<>(layers + 1);
            features.add(x);
            for (int i = 1; i <= layers; i++) {
                Tensor in = features.size() == 1 ? x : Tensor.cat(1, features.toArray(Tensor[]::new));
                features.add(child("denselayer" + i).call(in));
            }
            return Tensor.cat(1, features.toArray(Tensor[]::new));
        }
    }

    /** torchvision's {@code _DenseLayer}: BN, ReLU, 1×1 conv to bnSize·k, BN, ReLU, 3×3 conv to k. */
    public static class DenseLayer extends Module {
        /** A layer reading {@code in} channels. */
        public DenseLayer(int in, int growthRate, int bnSize) {
            registerModule("norm1", new BatchNorm2d(in));
            registerModule("relu1", new ReLU());
            registerModule("conv1", ZooInit.kaimingFanInConv(in, bnSize * growthRate, 1, 1, 0));
            registerModule("norm2", new BatchNorm2d(bnSize * growthRate));
            registerModule("relu2", new ReLU());
            registerModule("conv2", ZooInit.kaimingFanInConv(bnSize * growthRate, growthRate, 3, 1, 1));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = child("conv1").call(child("relu1").call(child("norm1").call(x)));
            return child("conv2").call(child("relu2").call(child("norm2").call(h)));
        }
    }
}
