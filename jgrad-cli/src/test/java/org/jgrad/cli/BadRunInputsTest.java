package org.jgrad.cli;

import static org.jgrad.cli.JgradCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.cli.JgradCommandTest.Result;
import org.jgrad.internal.TensorData;
import org.jgrad.io.Checkpoint;
import org.jgrad.io.SafeTensors;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `jgrad train/eval/predict` answer to bad files and values (docs/bad-inputs.md): one line, exit 1, nothing half-done. */
class BadRunInputsTest {
  @TempDir
  Path tmp;

  /** A failed command: exit 1, one line on stderr naming the problem, no stack trace or debug hint. */
  static void assertFailure(Result r, String... mentioning) {
    assertEquals(1, r.exitCode(), r.err() + r.out());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    for (String m : mentioning) assertTrue(r.err().contains(m), "mentions '" + m + "': " + r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("JGRAD_DEBUG"), r.err());
  }

  private Path csv(String name, String header, int rows, String lastRow) throws IOException {
    StringBuilder b = new StringBuilder(header).append('\n');
    for (int i = 0; i < rows; i++) b.append(i % 7).append(',').append(i % 3).append(',').append(i % 2).append('\n');
    b.append(lastRow).append('\n');
    return Files.writeString(tmp.resolve(name), b);
  }

  @Test
  void hugeCsvLabelIsRefusedBeforeAnyClassIsBuilt() throws IOException {
    Path f = csv("big.csv", "a,b,label", 40, "1,2,99999999999");
    assertFailure(run("train", "--quiet", "--out", tmp.resolve("run").toString(), "--data", f.toString()),
        ":42: label 99999999999 in column 'label' is not a class index", "K = 3 distinct labels");
  }

  @Test
  void nanInACsvIsRefusedAtLoadWithItsLine() throws IOException {
    Path f = csv("nan.csv", "a,b,label", 40, "NaN,2,1");
    assertFailure(run("train", "--quiet", "--out", tmp.resolve("run").toString(), "--data", f.toString()),
        "nan.csv:42: column 1 ('a') is 'NaN'");
    assertFalse(Files.exists(tmp.resolve("run")), "nothing written");
  }

  @Test
  void aRegressionCsvIsRefusedClearly() throws IOException {
    Path f = csv("reg.csv", "a,b,price", 40, "1,2,3.75");
    assertFailure(run("train", "--quiet", "--out", tmp.resolve("run").toString(), "--data", f.toString()),
        ":42: label '3.75' in column 'price' is not a class", "regression target");
  }

  @Test
  void divergenceIsAOneLineFailureNamingTheStep() {
    Result r = run("train", "--quiet", "--out", tmp.resolve("run").toString(), "--data", "iris", "--optimizer", "sgd",
        "--lr", "1e30", "--epochs", "2");
    assertFailure(r, "train: error: training diverged:", "step ", "Try a lower learning rate.");
    assertFalse(Files.exists(tmp.resolve("run/model.safetensors")), "no final weights");
  }

  @Test
  void staleTempFilesAndMetricsOfAnInterruptedFirstEpochAreCleanedOnRestart() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    Path stale = Files.write(dir.resolve(".model.safetensors.tmp-0123456789abcdef"), new byte[0]);
    Path staleCk = Files.write(dir.resolve(".last.safetensors.tmp-00ff"), new byte[10]);
    Files.writeString(dir.resolve("metrics.csv"), "epoch,step,loss,accuracy,val_loss,val_accuracy,lr,seconds\n"
        + "1,42,0.5,0.8,0.5,0.8,0.001,1.0\n");
    TrainCommandTest.train(dir, "--epochs", "1");
    assertFalse(Files.exists(stale) || Files.exists(staleCk), "temp files of killed writes are gone");
    List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
    assertEquals(2, lines.size(), "epoch 1 once: " + lines);
    assertTrue(lines.get(1).startsWith("1,"), lines.toString());
  }

  /** A trained run's checkpoint, rewritten with {@code edit} applied to its metadata. */
  private Path checkpointWith(Map<String, String> changes) throws IOException {
    Path dir = tmp.resolve("ck");
    TrainCommandTest.train(dir, "--epochs", "1");
    Path f = dir.resolve("last.safetensors");
    Checkpoint ck = Checkpoint.load(f);
    Map<String, String> meta = new LinkedHashMap<>(ck.metadata());
    meta.putAll(changes);
    new Checkpoint(ck.model(), ck.optimizer(), ck.scheduler(), ck.epoch(), ck.step(), ck.rngStates(), meta).save(f);
    return dir;
  }

  @Test
  void trainingSettingsInACheckpointAreCheckedAsTheOptionsAre() throws IOException {
    Path dir = checkpointWith(Map.of("jgrad.train.val_split", "-0.5"));
    assertFailure(run("train", "--quiet", "--resume", dir.toString(), "--epochs", "2"),
        "invalid training settings in its metadata: val_split -0.5 (must be in [0, 1))");
  }

  @Test
  void classNamesThatDoNotMatchTheModelAreRefused() throws IOException {
    Path dir = checkpointWith(Map.of("jgrad.class_names", "[\"a\",\"b\",\"c\"]"));
    assertFailure(run("eval", "--checkpoint", dir.resolve("last.safetensors").toString()),
        "metadata names 3 classes", "for a model of 10 classes");
  }

  @Test
  void metadataClaimingMillionsOfClassesIsCheckedAgainstTheTensorsFirst() throws IOException {
    Path dir = tmp.resolve("w");
    TrainCommandTest.train(dir, "--epochs", "1");
    Path f = dir.resolve("model.safetensors");
    var file = SafeTensors.load(f);
    Map<String, String> meta = new LinkedHashMap<>(file.metadata());
    meta.put("jgrad.num_classes", "5000000");
    meta.put("jgrad.model_args.num_classes", "5000000"); // both of the file's statements of the class count
    meta.remove("jgrad.class_names");
    SafeTensors.save(file.tensors(), f, meta);
    long heapBefore = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertFailure(run("eval", "--checkpoint", f.toString()), "metadata claim a mlp with 5000000 classes",
        "the metadata do not describe these weights");
    assertTrue(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory() - heapBefore < (1L << 30));
  }

  @Test
  void nonFiniteWeightsAndInputsAreRefusedAtEvalAndPredict() throws IOException {
    Path dir = tmp.resolve("iris");
    TrainCommandTest.train(dir, "--data", "iris", "--epochs", "1");
    Path rows = Files.writeString(tmp.resolve("rows.csv"), "5.1,3.5,1.4,0.2\n6.7,NaN,5.2,2.3\n");
    assertFailure(run("predict", "--checkpoint", dir.resolve("model.safetensors").toString(), rows.toString()),
        "rows.csv:2: value 2 is NaN");
    Path f = dir.resolve("model.safetensors");
    var file = SafeTensors.load(f);
    Map<String, Tensor> t = new LinkedHashMap<>(file.tensors());
    String key = t.keySet().iterator().next();
    float[] v = t.get(key).toFloatArray();
    v[0] = Float.NaN;
    t.put(key, TensorData.wrap(v, t.get(key).shape()));
    SafeTensors.save(t, f, file.metadata());
    assertFailure(run("eval", "--checkpoint", f.toString()), "tensor '" + key + "' holds NaN");
  }

  @Test
  void testLabelsOutsideTheTrainingClassesFailBeforeTraining() throws IOException {
    Path d = Files.createDirectories(tmp.resolve("idx"));
    idx(d.resolve("train-images-idx3-ubyte"), new byte[16], 4, 2, 2);
    idx(d.resolve("train-labels-idx1-ubyte"), new byte[] {0, 1, 0, 1}, 4);
    idx(d.resolve("t10k-images-idx3-ubyte"), new byte[8], 2, 2, 2);
    idx(d.resolve("t10k-labels-idx1-ubyte"), new byte[] {1, (byte) 200}, 2);
    assertFailure(run("train", "--quiet", "--out", tmp.resolve("run").toString(), "--data", d.toString()),
        "idx test set: label 200 of sample 1 is not one of the 2 classes of the training labels (0..1)");
    assertFalse(Files.exists(tmp.resolve("run/metrics.csv")), "no epoch ran");
  }

  private static void idx(Path f, byte[] data, int... dims) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length).put((byte) 0).put((byte) 0).put((byte) 8)
        .put((byte) dims.length);
    for (int x : dims) b.putInt(x);
    Files.write(f, b.put(data).array());
  }

  @Test
  void permissionErrorsSayWhatWentWrong() {
    assertEquals("/data/x.csv: permission denied (jgrad may not read or write it; check its permissions, e.g. with ls -l)",
        JgradCommand.describe(new AccessDeniedException("/data/x.csv")));
  }
}
