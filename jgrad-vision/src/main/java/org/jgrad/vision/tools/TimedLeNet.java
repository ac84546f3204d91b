package org.jgrad.vision.tools;

import java.util.Locale;
import org.jgrad.autograd.NoGrad;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.Module;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.Adam;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.image.Resize;
import org.jgrad.vision.models.Models;

/**
 * LeNet-5 (the 28×28 variant, {@code Models.create("lenet5", ...)}) trained for a fixed wall time
 * instead of a number of epochs: Adam with lr 1e-3, shuffled batches of 64, stopping at the first
 * step that ends after the budget (at least one step). Images of another size are resized
 * (bilinear) to 28×28 first, outside the budget. Before the clock starts, a throwaway copy takes
 * {@value #WARM_UP_STEPS} steps, outside the budget too: the JVM compiles the convolution kernels
 * during the first steps, which took from under one to several seconds on a busy machine, and a
 * short budget would otherwise measure the compiler rather than the network. Sets jgrad's default
 * generator ({@code DefaultGenerator.manualSeed}) to the seed.
 */
public final class TimedLeNet {
    private TimedLeNet() {}

    /** Batch size of the training steps. */
    public static final int BATCH_SIZE = 64;

    /** Steps of the untimed warm-up. */
    public static final int WARM_UP_STEPS = 30;

    /**
     * What the run did.
     *
     * @param accuracy test accuracy
     * @param trainSeconds training wall time (the budget, overrun by at most one step)
     * @param steps optimiser steps taken
     * @param epochs passes over the training set (fractional)
     * @param warmUpSeconds the untimed warm-up
     */
    public record Result(double accuracy, double trainSeconds, long steps, double epochs, double warmUpSeconds) {
        /** One line for a terminal. */
        public String summary() {
            return String.format(Locale.ROOT, "LeNet-5 trained for %.1f s (%d steps of %d, %.2f epochs, after a %.1f s warm-up"
                    + " not counted): test accuracy %.2f%%", trainSeconds, steps, BATCH_SIZE, epochs, warmUpSeconds,
                    100 * accuracy);
        }
    }

    /** Trains on {@code data.train()} for {@code seconds} of wall time with seed {@code seed}; tests on {@code data.test()}. */
    public static Result run(ImageData data, double seconds, long seed) {
        if (!(seconds > 0)) throw new IllegalArgumentException("LeNet-5 time budget must be positive, got " + seconds);
        TensorDataset train = fitted(data.train()), test = fitted(data.test());
        int channels = train.inputTensor().size(1), classes = Math.max(2, data.classes());
        long w0 = System.nanoTime();
        DefaultGenerator.manualSeed(seed);
        train(Models.create("lenet5", classes, channels), train, seed, WARM_UP_STEPS, Long.MAX_VALUE);
        double warmUp = (System.nanoTime() - w0) / 1e9;
        DefaultGenerator.manualSeed(seed);
        Module model = Models.create("lenet5", classes, channels);
        long start = System.nanoTime();
        long steps = train(model, train, seed, Long.MAX_VALUE, (long) (seconds * 1e9));
        double elapsed = (System.nanoTime() - start) / 1e9;
        model.eval();
        int right = 0, n = test.size();
        try (var g = NoGrad.enter()) {
            long[] y = test.targetTensor().contiguous().toLongArray();
            for (int s = 0; s < n; s += 1000) {
                int m = Math.min(1000, n - s);
                long[] p = model.call(test.inputTensor().narrow(0, s, m)).argmax(1, false).contiguous().toLongArray();
                for (int i = 0; i < m; i++) if (p[i] == y[s + i]) right++;
            }
        }
        return new Result((double) right / n, elapsed, steps, (double) steps * BATCH_SIZE / train.size(), warmUp);
    }

    /** Trains until {@code maxSteps} steps or the first step ending after {@code nanos}; returns the steps taken. */
    private static long train(Module model, TensorDataset train, long seed, long maxSteps, long nanos) {
        Adam opt = new Adam(model.parameters(), 1e-3);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        DataLoader loader = DataLoader.builder(train).batchSize(BATCH_SIZE).shuffle(true).seed(seed).build();
        long start = System.nanoTime(), steps = 0;
        model.train();
        while (true) {
            for (Batch b : loader) {
                opt.zeroGrad();
                lossFn.forward(model.call(b.inputs()), b.targets()).backward();
                opt.step();
                steps++;
                if (steps >= maxSteps || System.nanoTime() - start >= nanos) return steps;
            }
        }
    }

    /** Images as [N, C, 28, 28]. */
    private static TensorDataset fitted(TensorDataset d) {
        Tensor x = d.inputTensor();
        if (x.size(2) == 28 && x.size(3) == 28) return d;
        Tensor[] out = new Tensor[x.size(0)];
        for (int i = 0; i < out.length; i++) out[i] = Resize.bilinear(x.select(0, i), 28, 28);
        return new TensorDataset(Tensor.stack(0, out), d.targetTensor());
    }
}
