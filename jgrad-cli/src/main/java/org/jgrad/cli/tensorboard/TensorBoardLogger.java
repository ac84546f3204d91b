package org.jgrad.cli.tensorboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jgrad.train.Callback;
import org.jgrad.train.EpochLog;
import org.jgrad.train.History;
import org.jgrad.train.Trainer;

/**
 * Logs each epoch's {@code loss}, {@code accuracy}, {@code val_loss}, {@code val_accuracy} and
 * {@code lr} to a TensorBoard event file in a run folder ({@code tensorboard --logdir runs}),
 * with the epoch number as the step. Metrics that do not apply (NaN) are left out.
 */
public final class TensorBoardLogger implements Callback {
  private static final String[] METRICS = {"loss", "accuracy", "val_loss", "val_accuracy", "lr"};
  private final Path dir;
  private EventFileWriter writer;

  public TensorBoardLogger(Path dir) {
    this.dir = dir;
  }

  @Override
  public void onTrainBegin(Trainer trainer) {
    try {
      writer = new EventFileWriter(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("TensorBoard: cannot create an event file in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onEpochEnd(Trainer trainer, EpochLog log) {
    try {
      for (String m : METRICS) {
        double v = log.get(m);
        if (!Double.isNaN(v)) writer.scalar(m, v, log.epoch());
      }
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("TensorBoard: cannot write " + writer.file() + ": " + e.getMessage(), e);
    }
  }

  /** Logs a final scalar (e.g. the test accuracy) at {@code step}. */
  public void scalar(String tag, double value, long step) throws IOException {
    writer.scalar(tag, value, step);
    writer.flush();
  }

  @Override
  public void onTrainEnd(Trainer trainer, History history) {
    // Kept open for scalar() after training; close() ends the file.
  }

  /** Closes the event file. */
  public void close() throws IOException {
    if (writer != null) writer.close();
  }
}
