package org.jgrad.vision.models;

import org.jgrad.nn.AdaptiveAvgPool2d;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.tensor.Tensor;

/**
 * A CNN that reads a (log-mel) spectrogram as a one-channel image {@code [1, bands, frames]}, as in the
 * lectures' speech-recognition example: three blocks of 3×3 convolution, batch norm, ReLU and 2×2 max
 * pooling (16, 32, 64 channels), an adaptive average pool to 4×4 (so any spectrogram size of at least
 * 8×8 fits), then {@code Linear(1024, 128)}, ReLU, dropout and {@code Linear(128, classes)}.
 * Layers are named {@code features.N} and {@code classifier.N}, like torchvision's VGG.
 */
public class SpectrogramCnn extends Module {

    /** A network for {@code numClasses} words and {@code inChannels} input channels (1 for a spectrogram). */
    public SpectrogramCnn(int numClasses, int inChannels, double dropout) {
        VGG.checkSizes("SpectrogramCnn", numClasses, inChannels);
        Sequential features = new Sequential();
        int c = inChannels;
        for (int out : new int[] {16, 32, 64}) {
            features.append(new Conv2d(c, out, 3, 1, 1)).append(new BatchNorm2d(out)).append(new ReLU())
                    .append(new MaxPool2d(2));
            c = out;
        }
        features.append(new AdaptiveAvgPool2d(4, 4));
        registerModule("features", features);
        registerModule("classifier", new Sequential(new Linear(c * 16, 128), new ReLU(), new Dropout(dropout),
                new Linear(128, numClasses)));
    }

    @Override
    public Tensor forward(Tensor x) {
        return child("classifier").call(child("features").call(x).flatten(1, -1));
    }
}
