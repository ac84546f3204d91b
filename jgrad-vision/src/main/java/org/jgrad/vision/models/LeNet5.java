package org.jgrad.vision.models;

import org.jgrad.nn.AvgPool2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Tanh;
import org.jgrad.tensor.Tensor;

/**
 * LeNet-5 (LeCun et al., 1998) as {@code features} (convolutions and subsampling) and
 * {@code classifier} (fully connected layers), in two forms with 61,706 parameters each (10 classes,
 * one channel):
 * <ul>
 *   <li>{@link #classic}: the 1998 network for 32×32 inputs, tanh and average-pooling subsampling:
 *       C1 conv 6@5×5 → S2 avg pool 2 → C3 conv 16@5×5 → S4 avg pool 2 → C5 conv 120@5×5 (1×1 map)
 *       → F6 120-84 → output 84-numClasses;
 *   <li>{@link #mnist}: the common variant for 28×28 MNIST digits with ReLU and max pooling:
 *       conv 6@5×5 pad 2 → max pool 2 → conv 16@5×5 → max pool 2 → FC 400-120-84-numClasses.
 * </ul>
 * (The original's sparse C3 connection table and RBF output are replaced by a full conv and a linear
 * layer, as in every modern reimplementation.)
 */
public class LeNet5 extends Module {
    private LeNet5(Sequential features, Sequential classifier) {
        registerModule("features", features);
        registerModule("classifier", classifier);
    }

    /** The 1998 network for 32×32 inputs (tanh, average pooling, C5 as a convolution). */
    public static LeNet5 classic(int numClasses, int inChannels) {
        VGG.checkSizes("LeNet5", numClasses, inChannels);
        return new LeNet5(
                new Sequential(new Conv2d(inChannels, 6, 5), new Tanh(), new AvgPool2d(2),
                        new Conv2d(6, 16, 5), new Tanh(), new AvgPool2d(2),
                        new Conv2d(16, 120, 5), new Tanh()),
                new Sequential(new Linear(120, 84), new Tanh(), new Linear(84, numClasses)));
    }

    /** The 28×28 variant: {@code Conv(1,6,5,pad 2)-ReLU-MaxPool2-Conv(6,16,5)-ReLU-MaxPool2-FC400-120-ReLU-84-ReLU-10}. */
    public static LeNet5 mnist(int numClasses, int inChannels) {
        VGG.checkSizes("LeNet5", numClasses, inChannels);
        return new LeNet5(
                new Sequential(new Conv2d(inChannels, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                        new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2)),
                new Sequential(new Linear(16 * 5 * 5, 120), new ReLU(), new Linear(120, 84), new ReLU(),
                        new Linear(84, numClasses)));
    }

    @Override
    public Tensor forward(Tensor x) {
        return child("classifier").call(child("features").call(x).flatten(1, -1));
    }
}
