package org.jgrad.vision.models;

import org.jgrad.nn.AdaptiveAvgPool2d;
import org.jgrad.nn.BatchNorm1d;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.tensor.Tensor;

/**
 * A small VGG-style network with batch norm for 28×28 images such as Fashion-MNIST (zoo name
 * {@code vgg_small_bn}): two VGG blocks of two 3×3 convolutions each, then a two-layer classifier.
 *
 * <pre>
 * features:   conv 32 → BN → ReLU → conv 32 → BN → ReLU → max pool 2 → dropout 0.25
 *             conv 64 → BN → ReLU → conv 64 → BN → ReLU → max pool 2 → dropout 0.25
 * avgpool:    adaptive average pool to 7×7 (a no-op for 28×28 inputs; lets 32×32 images in)
 * classifier: linear 3136 → 256 → BN → ReLU → dropout 0.5 → linear 256 → classes
 * </pre>
 *
 * The convolutions have no bias (the batch norm right after them has one). About 0.87 M parameters;
 * on Fashion-MNIST it reaches ≥ 93% test accuracy in 10 epochs (README, measured numbers), where the
 * lectures' MLP stops near 89% and LeNet-5 near 90%.
 */
public class SmallVGG extends Module {
    private static final int POOLED = 7;
    private static final int[] CFG = {32, 32, VGG.M, 64, 64, VGG.M};
    private static final int HIDDEN = 256;

    /** A fresh network with Kaiming-normal convolutions (as torchvision's VGG) and PyTorch's default linear init. */
    public SmallVGG(int numClasses, int inChannels) {
        VGG.checkSizes("SmallVGG", numClasses, inChannels);
        Sequential features = new Sequential();
        int c = inChannels;
        for (int v : CFG) {
            if (v == VGG.M) {
                features.append(new MaxPool2d(2, 2));
                features.append(new Dropout(0.25));
                continue;
            }
            features.append(ZooInit.kaimingConv(c, v, 3, 1, 1, false));
            features.append(ZooInit.bn(v));
            features.append(new ReLU());
            c = v;
        }
        registerModule("features", features);
        registerModule("avgpool", new AdaptiveAvgPool2d(POOLED, POOLED));
        registerModule("classifier", new Sequential(
                new Linear(c * POOLED * POOLED, HIDDEN), new BatchNorm1d(HIDDEN), new ReLU(), new Dropout(0.5),
                new Linear(HIDDEN, numClasses)));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor f = child("features").call(x);
        // 28×28 inputs arrive at exactly 7×7: skip the pooling's copy.
        if (f.size(2) != POOLED || f.size(3) != POOLED) f = child("avgpool").call(f);
        return child("classifier").call(f.flatten(1, -1));
    }
}
