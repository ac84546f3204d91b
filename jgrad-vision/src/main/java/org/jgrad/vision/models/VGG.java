package org.jgrad.vision.models;

import org.jgrad.nn.AdaptiveAvgPool2d;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.tensor.Tensor;

/**
 * VGG (Simonyan and Zisserman, 2014) exactly as torchvision builds it: {@code features} (3×3 convs
 * with padding 1, optional batch norm, ReLU, 2×2 max pools), {@code avgpool} (adaptive to 7×7, so any
 * input of at least 32×32 works: a 1×1 map is repeated) and {@code classifier}
 * (4096-4096-numClasses with dropout), so the state-dict keys ({@code features.0.weight},
 * {@code classifier.6.bias}) and parameter counts equal torchvision's. Initialized as torchvision
 * does: Kaiming normal (fan-out) convs, N(0, 0.01) linear weights, zero biases.
 */
public class VGG extends Module {
    /** Marks a max pool in a configuration. */
    public static final int M = -1;
    /** Configuration A: VGG11. */
    public static final int[] CFG_11 = {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    /** Configuration B: VGG13. */
    public static final int[] CFG_13 = {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    /** Configuration D: VGG16. */
    public static final int[] CFG_16 = {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};
    /** Configuration E: VGG19. */
    public static final int[] CFG_19 = {64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512,
        512, 512, M};

    private static final int POOLED = 7;

    /**
     * A VGG network.
     *
     * @param cfg output channels of each conv layer, {@link #M} for a max pool
     * @param batchNorm insert BatchNorm2d after every conv (the {@code _bn} variants)
     * @param dropout drop probability in the classifier (torchvision: 0.5)
     */
    public VGG(int[] cfg, boolean batchNorm, int numClasses, int inChannels, double dropout) {
        checkSizes("VGG", numClasses, inChannels);
        Sequential features = new Sequential();
        int c = inChannels;
        for (int v : cfg) {
            if (v == M) {
                features.append(new MaxPool2d(2, 2));
                continue;
            }
            features.append(ZooInit.kaimingConv(c, v, 3, 1, 1, true));
            if (batchNorm) features.append(ZooInit.bn(v));
            features.append(new ReLU());
            c = v;
        }
        registerModule("features", features);
        registerModule("avgpool", new AdaptiveAvgPool2d(POOLED, POOLED));
        registerModule("classifier", new Sequential(
                linear(c * POOLED * POOLED, 4096), new ReLU(), new Dropout(dropout),
                linear(4096, 4096), new ReLU(), new Dropout(dropout),
                linear(4096, numClasses)));
    }

    private static Linear linear(int in, int out) {
        Linear l = new Linear(in, out, true, null);
        ZooInit.normal(l.weight(), 0.01);
        return l; // the bias stays zero
    }

    static void checkSizes(String model, int numClasses, int inChannels) {
        if (numClasses <= 0 || inChannels <= 0)
            throw new IllegalArgumentException(model + ": numClasses and inChannels must be positive, got numClasses="
                    + numClasses + ", inChannels=" + inChannels);
    }

    // Children are looked up by name so that a head swapped with setSubmodule is used.
    @Override
    public Tensor forward(Tensor x) {
        Tensor f = child("avgpool").call(child("features").call(x));
        return child("classifier").call(f.flatten(1, -1));
    }
}
