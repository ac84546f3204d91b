package org.jgrad.vision.models;

import org.jgrad.nn.AdaptiveAvgPool2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.tensor.Tensor;

/**
 * AlexNet (Krizhevsky et al., 2012) in torchvision's single-tower form: five conv layers
 * (64-192-384-256-256) with ReLU and 3×3/2 max pools, adaptive average pooling to 6×6 and a
 * 4096-4096-numClasses classifier with dropout. Key names and the 61,100,840 parameters (1000
 * classes) equal torchvision's; PyTorch's default layer initialization. Inputs need at least
 * about 63×63 pixels (224×224 is the reference size). The original's local response
 * normalization is not in torchvision's model; {@link org.jgrad.nn.LocalResponseNorm} provides it.
 */
public class AlexNet extends Module {
    /** AlexNet with dropout 0.5. */
    public AlexNet(int numClasses, int inChannels) {
        this(numClasses, inChannels, 0.5);
    }

    /** AlexNet with the given classifier dropout. */
    public AlexNet(int numClasses, int inChannels, double dropout) {
        VGG.checkSizes("AlexNet", numClasses, inChannels);
        registerModule("features", new Sequential(
                new Conv2d(inChannels, 64, 11, 4, 2), new ReLU(), new MaxPool2d(3, 2),
                new Conv2d(64, 192, 5, 1, 2), new ReLU(), new MaxPool2d(3, 2),
                new Conv2d(192, 384, 3, 1, 1), new ReLU(),
                new Conv2d(384, 256, 3, 1, 1), new ReLU(),
                new Conv2d(256, 256, 3, 1, 1), new ReLU(), new MaxPool2d(3, 2)));
        registerModule("avgpool", new AdaptiveAvgPool2d(6, 6));
        registerModule("classifier", new Sequential(
                new Dropout(dropout), new Linear(256 * 6 * 6, 4096), new ReLU(),
                new Dropout(dropout), new Linear(4096, 4096), new ReLU(),
                new Linear(4096, numClasses)));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor f = child("avgpool").call(child("features").call(x));
        return child("classifier").call(f.flatten(1, -1));
    }
}
