package org.jgrad.cli;

import static org.jgrad.cli.JgradCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jgrad.cli.JgradCommandTest.Result;
import org.jgrad.io.SafeTensors;
import org.jgrad.io.SafeTensorsFile;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

  static Result train(Path out, String... args) {
    String[] all = Stream.concat(Stream.of("train", "--quiet", "--out", out.toString()), Stream.of(args)).toArray(String[]::new);
    Result r = run(all);
    assertEquals(0, r.exitCode(), r.err() + r.out());
    return r;
  }

  static double testAccuracy(Result r) {
    Matcher m = Pattern.compile("test accuracy: ([0-9.]+)").matcher(r.out());
    assertTrue(m.find(), r.out());
    return Double.parseDouble(m.group(1));
  }

  @Test
  void writesEveryRunFileAndReportsTheTestAccuracy(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("run");
    Result r = train(dir, "--data", "iris", "--epochs", "3", "--lr", "0.01");
    List<String> lines = r.out().strip().lines().toList();
    assertTrue(lines.get(lines.size() - 2).startsWith("test accuracy: "), r.out());
    assertTrue(lines.getLast().startsWith("run files: ") && lines.getLast().endsWith("run/"), r.out());
    assertTrue(r.out().contains("setosa"), "confusion matrix with class names: " + r.out());
    for (String f : List.of("metrics.csv", "last.safetensors", "model.safetensors", "loss.png", "accuracy.png",
        "confusion_matrix.png"))
      assertTrue(Files.isRegularFile(dir.resolve(f)), f + " missing");
    try (Stream<Path> s = Files.list(dir)) {
      assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents.")));
    }
    assertEquals(4, Files.readAllLines(dir.resolve("metrics.csv")).size(), "header + 3 epochs");
    Map<String, String> meta = SafeTensors.load(dir.resolve("model.safetensors")).metadata();
    assertEquals("mlp", meta.get("jgrad.model"));
    assertEquals("3", meta.get("jgrad.num_classes"));
    assertEquals("4", meta.get("jgrad.input_shape"));
    assertEquals("iris", meta.get("jgrad.dataset"));
    assertEquals("[\"setosa\",\"versicolor\",\"virginica\"]", meta.get("jgrad.class_names"));
    assertEquals("mlp", SafeTensors.load(dir.resolve("last.safetensors")).metadata().get("jgrad.model"));
  }

  @Test
  void quickStartDefaultsReachNinetyFivePercentOnDigits(@TempDir Path tmp) {
    assertTrue(testAccuracy(train(tmp.resolve("run"))) > 0.95);
  }

  @Test
  void anInterruptedAndResumedRunEndsWithTheSameWeights(@TempDir Path tmp) throws IOException {
    Path whole = tmp.resolve("whole"), parts = tmp.resolve("parts");
    train(whole, "--epochs", "4");
    train(parts, "--epochs", "2");
    Result resumed = run("train", "--quiet", "--resume", parts.toString(), "--epochs", "4");
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertArrayEquals(Files.readAllBytes(whole.resolve("model.safetensors")),
        Files.readAllBytes(parts.resolve("model.safetensors")), "model.safetensors differs");
    SafeTensorsFile a = SafeTensors.load(whole.resolve("model.safetensors")), b = SafeTensors.load(parts.resolve("model.safetensors"));
    for (Map.Entry<String, Tensor> e : a.tensors().entrySet())
      assertArrayEquals(e.getValue().toFloatArray(), b.tensors().get(e.getKey()).toFloatArray(), e.getKey());
    assertEquals(Files.readAllLines(whole.resolve("metrics.csv")).size(), Files.readAllLines(parts.resolve("metrics.csv")).size());
  }

  @Test
  void resumeRefusesSettingsThatWouldChangeTheRun(@TempDir Path tmp) {
    Path dir = tmp.resolve("run");
    train(dir, "--epochs", "1", "--data", "iris");
    JgradCommandTest.assertOneLineError(run("train", "--resume", dir.toString(), "--lr", "0.5"), "--lr");
  }

  @Test
  void resumeWithoutAPathContinuesTheOutFolderAndANewRunThereIsRefused(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("run");
    train(dir, "--epochs", "1", "--data", "iris");
    JgradCommandTest.assertOneLineError(run("train", "--out", dir.toString(), "--data", "iris"), "--resume");
    Result r = run("train", "--out", dir.toString(), "--resume", "--epochs", "2");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("resuming mlp at epoch 1"), r.out());
    assertEquals(3, Files.readAllLines(dir.resolve("metrics.csv")).size(), "header + 2 epochs");
  }

  @Test
  void earlyStoppingEndsTheRunWithTheReason(@TempDir Path tmp) {
    Result r = run("train", "--out", tmp.resolve("run").toString(), "--data", "iris", "--epochs", "200",
        "--patience", "0", "--lr", "0.05");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("stopped: early stopping"), r.out());
  }

  @Test
  void trainsOnACsvFileAndAnImageFolder(@TempDir Path tmp) throws IOException {
    Path csv = tmp.resolve("xor.csv");
    StringBuilder sb = new StringBuilder("a,b,label\n");
    for (int i = 0; i < 60; i++) sb.append(i % 2).append(',').append(i / 2 % 2).append(',').append(i % 2 == i / 2 % 2 ? "same" : "diff").append('\n');
    Files.writeString(csv, sb);
    Result r = train(tmp.resolve("csv-run"), "--data", csv.toString(), "--epochs", "2");
    assertTrue(r.out().contains("same") && r.out().contains("diff"), r.out());

    Path images = TestImages.folder(tmp.resolve("shapes"));
    Result r2 = train(tmp.resolve("img-run"), "--data", images.toString(), "--epochs", "2", "--val-split", "0");
    assertTrue(r2.out().contains("dark") && r2.out().contains("light"), r2.out());
  }

  @Test
  void trainsOnFoldersOfCifarBatchesAndIdxFiles(@TempDir Path tmp) throws IOException {
    Path cifar = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
    byte[] records = new byte[20 * 3073];
    for (int r = 0; r < 20; r++) {
      records[r * 3073] = (byte) (r % 2);
      java.util.Arrays.fill(records, r * 3073 + 1, (r + 1) * 3073, (byte) (r % 2 == 0 ? 10 : 240));
    }
    for (int i = 1; i <= 5; i++) Files.write(cifar.resolve("data_batch_" + i + ".bin"), records);
    Files.write(cifar.resolve("test_batch.bin"), records);
    Result r = train(tmp.resolve("cifar-run"), "--data", cifar.toString(), "--epochs", "1");
    assertTrue(r.out().contains("airplane") && r.out().contains("automobile"), r.out());

    Path idx = Files.createDirectories(tmp.resolve("tiny-mnist"));
    for (String split : new String[] {"train", "t10k"}) {
      int n = 12;
      java.nio.ByteBuffer img = java.nio.ByteBuffer.allocate(16 + n * 28 * 28).putInt(0x803).putInt(n).putInt(28).putInt(28);
      java.nio.ByteBuffer lab = java.nio.ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
      for (int i = 0; i < n; i++) {
        for (int p = 0; p < 28 * 28; p++) img.put((byte) (i % 3 * 100));
        lab.put((byte) (i % 3));
      }
      Files.write(idx.resolve(split + "-images-idx3-ubyte"), img.array());
      Files.write(idx.resolve(split + "-labels-idx1-ubyte"), lab.array());
    }
    Result r2 = train(tmp.resolve("idx-run"), "--data", idx.toString(), "--epochs", "1", "--val-split", "0");
    assertTrue(r2.out().contains("test accuracy"), r2.out());
    assertEquals("1x28x28", SafeTensors.load(tmp.resolve("idx-run/model.safetensors")).metadata().get("jgrad.input_shape"));
  }
}
