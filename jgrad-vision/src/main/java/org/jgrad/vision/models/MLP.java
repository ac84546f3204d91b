package org.jgrad.vision.models;

import java.util.function.Supplier;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;

/**
 * A multilayer perceptron for images: {@code Flatten}, then {@code Linear}+activation per hidden
 * width, then a {@code Linear} to the classes. Children are numbered like a {@code Sequential}
 * ({@code 1.weight} is the first layer's weight).
 *
 * <pre>{@code
 * MLP.lecture();                                      // 784-500-250-125-10 with ReLU (the lectures' MNIST MLP)
 * new MLP(3 * 32 * 32, new int[] {256, 128}, 10, Tanh::new);
 * }</pre>
 */
public class MLP extends Sequential {
    /**
     * @param inFeatures inputs after flattening (channels × height × width)
     * @param hidden widths of the hidden layers (may be empty: a linear classifier)
     * @param activation makes one activation module per hidden layer
     */
    public MLP(int inFeatures, int[] hidden, int numClasses, Supplier<? extends Module> activation) {
        if (inFeatures <= 0 || numClasses <= 0)
            throw new IllegalArgumentException("MLP: inFeatures and numClasses must be positive, got " + inFeatures
                    + " and " + numClasses);
        append(new Flatten());
        int in = inFeatures;
        for (int w : hidden) {
            if (w <= 0) throw new IllegalArgumentException("MLP: hidden widths must be positive, got " + w);
            append(new Linear(in, w));
            append(activation.get());
            in = w;
        }
        append(new Linear(in, numClasses));
    }

    /** The lectures' MNIST network: 784-500-250-125-10 with ReLU and a Flatten in front. */
    public static MLP lecture() {
        return new MLP(784, new int[] {500, 250, 125}, 10, ReLU::new);
    }

}
