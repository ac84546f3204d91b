package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jgrad train --schedule}: the learning rate follows the schedule; a resume cannot switch it. */
class TrainScheduleTest {
  @TempDir Path dir;

  /** The lr column of metrics.csv, per epoch. */
  private static List<Double> lrs(Path run) throws IOException {
    return Files.readAllLines(run.resolve("metrics.csv")).stream().skip(1)
        .map(l -> Double.parseDouble(l.split(",")[6])).toList();
  }

  @Test
  void cosineAnnealsAndStepDividesByTen() throws IOException {
    Path cos = dir.resolve("cos");
    var r = JgradCommandTest.run("train", "--epochs", "4", "--schedule", "cosine", "--lr", "0.01", "--quiet",
        "--out", cos.toString());
    assertEquals(0, r.exitCode(), r.err());
    List<Double> lr = lrs(cos);
    assertEquals(0.01, lr.get(0), 1e-9);
    assertEquals(0.01 * (1 + Math.cos(Math.PI / 4)) / 2, lr.get(1), 1e-6);
    assertEquals(0.005, lr.get(2), 1e-6);
    Path step = dir.resolve("step");
    assertEquals(0, JgradCommandTest.run("train", "--epochs", "6", "--schedule", "step", "--lr", "0.01", "--quiet",
        "--out", step.toString()).exitCode());
    List<Double> s = lrs(step);
    assertEquals(0.01, s.get(1), 1e-9);
    assertEquals(0.001, s.get(2), 1e-9);
    assertEquals(0.0001, s.get(5), 1e-9);
  }

  @Test
  void resumeRefusesAnotherScheduleAndUnknownNamesAreErrors() throws IOException {
    Path run = dir.resolve("run");
    assertEquals(0, JgradCommandTest.run("train", "--epochs", "4", "--schedule", "cosine", "--quiet", "--out", run.toString())
        .exitCode());
    Path cut = dir.resolve("cut");
    assertEquals(0, JgradCommandTest.run("train", "--epochs", "2", "--schedule", "cosine", "--quiet", "--out", cut.toString())
        .exitCode());
    var bad = JgradCommandTest.run("train", "--resume", cut.toString(), "--epochs", "4", "--schedule", "step");
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("--schedule"), bad.err());
    assertEquals(2, JgradCommandTest.run("train", "--schedule", "warmup").exitCode());
  }
}
