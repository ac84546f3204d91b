package org.jgrad.vision.models;

import org.jgrad.nn.AdaptiveAvgPool2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Linear;
import org.jgrad.nn.LocalResponseNorm;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.tensor.Tensor;

/**
 * ZF Net (Zeiler and Fergus, 2013, "Visualizing and understanding convolutional networks"), read
 * from the paper's architecture figure (Fig. 3) for a 224×224×3 input: 96 filters 7×7/2 → 110×110,
 * 3×3/2 max pool → 55×55, contrast normalization; 256 filters 5×5/2 → 26×26, 3×3/2 max pool →
 * 13×13, contrast normalization; 384, 384 and 256 filters 3×3/1 at 13×13; 3×3/2 max pool → 6×6;
 * fully connected 4096, 4096 and the classes, with dropout 0.5 before the two 4096 layers.
 *
 * <p>The figure gives the map sizes but not the paddings; these reproduce them: padding 1 for the
 * first conv ((224 + 2 − 7)/2 + 1 = 110) and for the first two pools ((110 + 2 − 3)/2 + 1 = 55,
 * (26 + 2 − 3)/2 + 1 = 13), none for the second conv ((55 − 5)/2 + 1 = 26) or the last pool, 1
 * for the 3×3 convs. Contrast normalization is taken to be AlexNet's local response normalization
 * (size 5, α = 10⁻⁴, β = 0.75, k = 2 as {@link LocalResponseNorm} takes them). With biases this is
 * 62,357,608 parameters at 1000 classes. Laid out as torchvision's AlexNet ({@code features.N},
 * {@code avgpool} to 6×6 so that other input sizes work, {@code classifier.N}, the head
 * {@code classifier.6}), with PyTorch's default initialization.
 */
public class ZFNet extends Module {
    /** ZF Net with the given classifier dropout (the paper: 0.5). */
    public ZFNet(int numClasses, int inChannels, double dropout) {
        VGG.checkSizes("ZFNet", numClasses, inChannels);
        registerModule("features", new Sequential(
                new Conv2d(inChannels, 96, 7, 2, 1), new ReLU(), new MaxPool2d(3, 2, 1), lrn(),
                new Conv2d(96, 256, 5, 2, 0), new ReLU(), new MaxPool2d(3, 2, 1), lrn(),
                new Conv2d(256, 384, 3, 1, 1), new ReLU(),
                new Conv2d(384, 384, 3, 1, 1), new ReLU(),
                new Conv2d(384, 256, 3, 1, 1), new ReLU(), new MaxPool2d(3, 2)));
        registerModule("avgpool", new AdaptiveAvgPool2d(6, 6));
        registerModule("classifier", new Sequential(
                new Dropout(dropout), new Linear(256 * 6 * 6, 4096), new ReLU(),
                new Dropout(dropout), new Linear(4096, 4096), new ReLU(),
                new Linear(4096, numClasses)));
    }

    private static LocalResponseNorm lrn() {
        return new LocalResponseNorm(5, 1e-4, 0.75, 2.0);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor f = child("avgpool").call(child("features").call(x));
        return child("classifier").call(f.flatten(1, -1));
    }
}
