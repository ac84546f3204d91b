package org.jgrad.integration;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.loss.Losses;
import org.jgrad.optim.Adam;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * The training run {@link ReproducibleTrainingTest} starts in fresh JVMs: a small LeNet-like CNN
 * (with a batch norm, so that its statistics' sums are covered too) trained a few Adam steps from a
 * fixed seed; writes every parameter's float bits, in state-dict order, to the file named by args[0].
 */
public final class ReproducibleTrainingChild {
    private ReproducibleTrainingChild() {}

    static final int STEPS = 4, BATCH = 8;

    public static void main(String[] args) throws IOException {
        DefaultGenerator.manualSeed(7);
        Module model = new Sequential(new Conv2d(1, 6, 5, 1, 2), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(16 * 5 * 5, 10));
        model.train();
        Adam opt = new Adam(model.parameters(), 1e-3);
        Generator gen = new Generator(11);
        for (int s = 0; s < STEPS; s++) {
            Tensor x = Tensor.randn(gen, BATCH, 1, 28, 28), y = Tensor.randint(gen, 0, 10, BATCH);
            opt.zeroGrad();
            Losses.crossEntropy(model.forward(x), y).backward();
            opt.step();
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(args[0])))) {
            for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                out.writeUTF(e.getKey());
                for (float v : e.getValue().toFloatArray()) out.writeInt(Float.floatToRawIntBits(v));
            }
        }
    }
}
