package org.jgrad.hardening;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Synthetic2D;
import org.jgrad.data.TensorDataset;
import org.jgrad.io.Weights;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Linear;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Tanh;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.Adam;
import org.jgrad.optim.lr.StepLR;
import org.jgrad.tensor.Generator;
import org.jgrad.train.ModelCheckpoint;
import org.jgrad.train.Trainer;

/**
 * The child process of {@link CrashDurabilityTest}: a small training run that checkpoints every
 * epoch into {@code dir}, resumes from {@code dir/last.safetensors} when it exists, and at the end
 * writes the final weights to {@code dir/final.safetensors}. Everything random is seeded, so any
 * sequence of kills and resumes must end with the same bytes as one uninterrupted run.
 *
 * <p>Arguments: {@code dir epochs}.
 */
public final class CrashableTraining {
    private CrashableTraining() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int epochs = Integer.parseInt(args[1]);
        Generator g = new Generator(11);
        // Dropout draws from the default generator, so its stream must survive the kill too.
        org.jgrad.nn.DefaultGenerator.manualSeed(5);
        var model = new Sequential(new Linear(2, 16, true, g), new Tanh(), new Dropout(0.1),
                new Linear(16, 16, true, g), new ReLU(), new Linear(16, 4, true, g));
        var opt = new Adam(model.parameters(), 0.01);
        TensorDataset data = Synthetic2D.generate(Synthetic2D.Kind.SPIRAL, 96, 0.1, new Generator(3));
        DataLoader loader = DataLoader.builder(data).batchSize(16).shuffle(true).seed(9).build();
        ModelCheckpoint ck = new ModelCheckpoint(dir, ModelCheckpoint.Keep.EVERY_EPOCH);
        Trainer t = Trainer.builder(model, opt, new CrossEntropyLoss()).epochs(epochs)
                .scheduler(new StepLR(opt, 7, 0.9)).callback(ck).build();
        if (Files.exists(ck.lastFile())) t.resume(ck.lastFile());
        t.fit(loader, null);
        Weights.save(model, dir.resolve("final.safetensors"));
    }
}
