package org.jgrad.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jgrad.data.DataLoader;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.monitor.charts.MetricsTable;
import org.jgrad.monitor.charts.TrainingCharts;
import org.jgrad.monitor.tensorboard.EventFileWriterTest;
import org.jgrad.monitor.tensorboard.TensorBoardLogger;
import org.jgrad.nn.Linear;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.CsvLogger;
import org.jgrad.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TensorBoard logging and charts from library code, as Trainer callbacks, on the step axis metrics.csv uses. */
class TrainerCallbacksTest {

  @Test
  void tensorBoardAndChartsFollowATrainingRunOnMetricsCsvsStepAxis(@TempDir Path dir) throws IOException {
    DefaultGenerator.manualSeed(1);
    Generator g = new Generator(2);
    Tensor x = Tensor.randn(g, 40, 3);
    long[] y = new long[40];
    for (int i = 0; i < y.length; i++) y[i] = x.get(i, 0) > 0 ? 1 : 0;
    DataLoader train = DataLoader.builder(new TensorDataset(x, TensorData.wrapLongs(y, 40))).batchSize(8).build();
    var model = new Linear(3, 2);
    TrainingCharts charts = new TrainingCharts(dir);
    Path csv = dir.resolve("metrics.csv");
    try (TensorBoardLogger tb = new TensorBoardLogger(dir).everySteps(2)) {
      Trainer t = Trainer.builder(model, new SGD(model.parameters(), 0.1), new CrossEntropyLoss()).epochs(3)
          .callback(new CsvLogger(csv)).callback(tb).callback(charts).build();
      t.fit(train, null);
      tb.scalar("test_accuracy", 0.5, t.step());
      var events = EventFileWriterTest.readEvents(tb.file());
      MetricsTable m = MetricsTable.read(csv);
      double[] steps = m.column("step"), losses = m.column("loss");
      assertEquals(List.of(5.0, 10.0, 15.0), java.util.Arrays.stream(steps).boxed().toList(), "5 batches an epoch");
      for (int e = 0; e < 3; e++) {
        long step = (long) steps[e];
        var loss = events.stream().filter(ev -> "loss".equals(ev.tag()) && ev.step() == step).toList();
        assertEquals(1, loss.size(), "one epoch loss at step " + step + ": " + events);
        assertEquals(losses[e], loss.get(0).value(), 1e-5 * Math.abs(losses[e]) + 1e-6, "the same loss at the same step");
        int epoch = e + 1;
        assertTrue(events.stream().anyMatch(ev -> "epoch".equals(ev.tag()) && ev.step() == step && ev.value() == epoch));
      }
      assertEquals(7, events.stream().filter(ev -> "batch_loss".equals(ev.tag())).count(), "steps 2, 4, ..., 14");
      assertTrue(events.stream().anyMatch(ev -> "test_accuracy".equals(ev.tag()) && ev.step() == 15));
    }
    assertEquals(List.of(dir.resolve("loss.png"), dir.resolve("accuracy.png")), charts.files());
    for (Path f : charts.files()) assertTrue(Files.size(f) > 1000, f.toString());
  }
}
