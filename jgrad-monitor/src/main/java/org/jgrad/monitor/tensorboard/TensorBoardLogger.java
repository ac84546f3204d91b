package org.jgrad.monitor.tensorboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jgrad.train.Callback;
import org.jgrad.train.EpochLog;
import org.jgrad.train.History;
import org.jgrad.train.Trainer;

/**
 * A {@link Trainer} callback that writes TensorBoard scalars ({@code tensorboard --logdir runs}),
 * like Keras' {@code callbacks.TensorBoard}.
 *
 * <p>The step axis is the trainer's global step: the number of optimizer steps taken since the run
 * began, the {@code step} column of {@code metrics.csv} ({@code CsvLogger}). After every epoch it
 * logs {@code loss}, {@code accuracy}, {@code val_loss}, {@code val_accuracy}, {@code lr} and
 * {@code epoch} (so the epoch of any point can be read off); metrics that do not apply (NaN) are
 * left out. With {@link #everySteps(int)} it also logs {@code batch_loss} every n optimizer steps.
 *
 * <pre>{@code
 * try (TensorBoardLogger tb = new TensorBoardLogger(Path.of("runs/mnist"))) {
 *     Trainer t = Trainer.builder(model, opt, loss).epochs(10).callback(tb.everySteps(50)).build();
 *     t.fit(train, val);
 *     tb.scalar("test_accuracy", t.evaluate(test).accuracy(), t.step());
 * }
 * }</pre>
 */
public final class TensorBoardLogger implements Callback, AutoCloseable {
    private static final String[] METRICS = {"loss", "accuracy", "val_loss", "val_accuracy", "lr"};
    private final Path dir;
    private EventFileWriter writer;
    private int everySteps;

    /** Logs into a new event file in {@code dir} (created when training begins, or on the first {@link #scalar}). */
    public TensorBoardLogger(Path dir) {
        this.dir = dir;
    }

    /**
     * Also logs each {@code n}-th batch's loss as {@code batch_loss} (0, the default, logs epochs only).
     *
     * @return this logger
     */
    public TensorBoardLogger everySteps(int n) {
        if (n < 0) throw new IllegalArgumentException("TensorBoardLogger.everySteps: n must be >= 0, got " + n);
        everySteps = n;
        return this;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        open();
    }

    @Override
    public void onBatchEnd(Trainer trainer, int epoch, int batch, int batchSize, double loss, double runningAccuracy) {
        if (everySteps > 0 && trainer.step() % everySteps == 0 && !Double.isNaN(loss)) write("batch_loss", loss, trainer.step());
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochLog log) {
        for (String m : METRICS) {
            double v = log.get(m);
            if (!Double.isNaN(v)) write(m, v, log.step());
        }
        write("epoch", log.epoch(), log.step());
        flush();
    }

    /** Logs one scalar (e.g. the test accuracy after training) at global step {@code step}, and flushes. */
    public void scalar(String tag, double value, long step) {
        write(tag, value, step);
        flush();
    }

    @Override
    public void onTrainEnd(Trainer trainer, History history) {
        // Kept open for scalar() after training (the test accuracy); close() ends the file.
        flush();
    }

    /** The event file, once created. */
    public Path file() {
        return writer == null ? null : writer.file();
    }

    /** Closes the event file. */
    @Override
    public void close() throws IOException {
        if (writer != null) writer.close();
    }

    private void open() {
        if (writer != null) return;
        try {
            writer = new EventFileWriter(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoard: cannot create an event file in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void write(String tag, double value, long step) {
        open();
        try {
            writer.scalar(tag, value, step);
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoard: cannot write " + writer.file() + ": " + e.getMessage(), e);
        }
    }

    private void flush() {
        if (writer == null) return;
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoard: cannot write " + writer.file() + ": " + e.getMessage(), e);
        }
    }
}
