package org.jgrad.cli;

import static org.jgrad.cli.JgradCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.cli.JgradCommandTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalPredictSummaryTest {

  @Test
  void evalReproducesTheTrainingRunsTestAccuracy(@TempDir Path tmp) {
    Path dir = tmp.resolve("run");
    double trained = TrainCommandTest.testAccuracy(TrainCommandTest.train(dir, "--epochs", "3"));
    for (String file : new String[] {"model.safetensors", "last.safetensors"}) {
      Result r = run("eval", "--checkpoint", dir.resolve(file).toString());
      assertEquals(0, r.exitCode(), r.err());
      assertEquals(trained, TrainCommandTest.testAccuracy(r), 1e-9, r.out());
      assertTrue(r.out().contains("true\\pred"), "confusion table: " + r.out());
    }
  }

  @Test
  void predictRanksClassesOfImagesAndCsvRows(@TempDir Path tmp) throws IOException {
    Path images = TestImages.folder(tmp.resolve("shapes"));
    Path imgRun = tmp.resolve("img-run");
    TrainCommandTest.train(imgRun, "--data", images.toString(), "--epochs", "30", "--val-split", "0", "--lr", "0.01");
    // A larger color image: predict must resize and gray it like the training images.
    var big = new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
    Path query = tmp.resolve("query.png");
    javax.imageio.ImageIO.write(big, "png", query.toFile()); // all black: "dark"
    Result r = run("predict", "--checkpoint", imgRun.resolve("model.safetensors").toString(), "--top", "2", query.toString());
    assertEquals(0, r.exitCode(), r.err());
    var lines = r.out().strip().lines().toList();
    assertEquals(3, lines.size(), r.out());
    assertTrue(lines.get(1).matches("\\s+1\\. dark\\s+0\\.\\d{4}"), r.out());
    assertTrue(lines.get(2).contains("2. light"), r.out());

    Path irisRun = tmp.resolve("iris-run");
    TrainCommandTest.train(irisRun, "--data", "iris", "--epochs", "2");
    Path rows = tmp.resolve("rows.csv");
    Files.writeString(rows, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n");
    Result r2 = run("predict", "--checkpoint", irisRun.resolve("last.safetensors").toString(), rows.toString());
    assertEquals(0, r2.exitCode(), r2.err());
    assertTrue(r2.out().contains("rows.csv:2") && r2.out().contains("rows.csv:3"), r2.out());
    assertTrue(r2.out().contains("setosa"), r2.out());
  }

  @Test
  void summaryPrintsTheTotals() {
    Result r = run("summary", "mlp", "--input", "1x8x8", "--classes", "10");
    assertEquals(0, r.exitCode(), r.err());
    // 64*256+256 + 256*128+128 + 128*10+10
    assertTrue(r.out().contains("Total params: 50,826"), r.out());
    Result resnet = run("summary", "resnet18", "--input", "3x32x32", "--classes", "10");
    assertEquals(0, resnet.exitCode(), resnet.err());
    // torchvision's 11,689,512 with a 10-class head instead of 1000: 512 * 990 + 990 fewer
    assertTrue(resnet.out().contains("Total params: 11,181,642"), resnet.out());
  }

  @Test
  void modelsListsTheRegistryAndSummaryUsesAnEntrysDefaults() {
    Result list = run("models");
    assertEquals(0, list.exitCode(), list.err());
    for (String name : org.jgrad.vision.models.ModelRegistry.names())
      assertTrue(list.out().contains(name + " "), name + " in: " + list.out());
    Result mlp = run("models", "mlp");
    assertEquals(0, mlp.exitCode(), mlp.err());
    assertTrue(mlp.out().contains("hidden") && mlp.out().contains("500,250,125") && mlp.out().contains("1x28x28"), mlp.out());
    JgradCommandTest.assertOneLineError(run("models", "resnet20"), "resnet20");
    // lenet5_classic's entry says 1x32x32 and 10 classes: 61,706 parameters, as LeCun et al.
    Result classic = run("summary", "lenet5_classic");
    assertEquals(0, classic.exitCode(), classic.err());
    assertTrue(classic.out().contains("Total params: 61,706") && classic.out().contains("[1, 10]"), classic.out());
  }

  @Test
  void convolutionalModelsGetImagesResizedToTheirInputSize(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("lenet");
    double trained = TrainCommandTest.testAccuracy(TrainCommandTest.train(dir, "--model", "lenet5", "--epochs", "1"));
    assertEquals("1x28x28", org.jgrad.io.SafeTensors.load(dir.resolve("model.safetensors")).metadata().get("jgrad.input_shape"));
    Result r = run("eval", "--checkpoint", dir.resolve("model.safetensors").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(trained, TrainCommandTest.testAccuracy(r), 1e-9);
    JgradCommandTest.assertOneLineError(run("train", "--model", "lenet5", "--data", "iris"), "--model mlp");
  }
}
