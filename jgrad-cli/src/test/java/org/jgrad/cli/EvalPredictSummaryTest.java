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
    // what was done is said on stderr, with the default mode named
    assertTrue(r.err().contains("note: " + query + ": 32x32 resized to 8x8 (same aspect ratio) (--resize center-crop)")
        && r.err().contains("RGB converted to grey"), r.err());
    var wide = new java.awt.image.BufferedImage(24, 8, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    Path wideFile = tmp.resolve("wide.png");
    javax.imageio.ImageIO.write(wide, "png", wideFile.toFile());
    String model = imgRun.resolve("model.safetensors").toString();
    Result cropped = run("predict", "--checkpoint", model, wideFile.toString());
    assertEquals(0, cropped.exitCode(), cropped.err());
    assertTrue(cropped.err().contains("24x8: centre 8x8 cropped (--resize center-crop)"), cropped.err());
    Result stretched = run("predict", "--checkpoint", model, "--resize", "stretch", wideFile.toString());
    assertEquals(0, stretched.exitCode(), stretched.err());
    assertTrue(stretched.err().contains("24x8 stretched to 8x8 (aspect ratio changed)"), stretched.err());
    Result refused = run("predict", "--checkpoint", model, "--resize", "refuse", wideFile.toString());
    assertEquals(1, refused.exitCode(), refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(refused.err().contains("wide.png: the image is 24x8 but the model takes 8x8"), refused.err());
    JgradCommandTest.assertOneLineError(run("predict", "--checkpoint", model, "--resize", "fill", wideFile.toString()),
        "stretch, center-crop or refuse");

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
  void evalAndPredictTakeModelsSavedFromCodeAndWeightsWithModel(@TempDir Path tmp) throws IOException {
    // a model saved from code (not by jgrad train): eval and predict need nothing but the file
    org.jgrad.nn.DefaultGenerator.manualSeed(11);
    var info = org.jgrad.vision.models.ModelInfo.of("mlp", new int[] {1, 8, 8}, 10).withDataset("digits");
    var net = info.create();
    Path saved = tmp.resolve("from-code.safetensors");
    org.jgrad.vision.models.SavedModel.save(net, info, saved);
    Result eval = run("eval", "--checkpoint", saved.toString());
    assertEquals(0, eval.exitCode(), eval.err());
    assertTrue(eval.out().startsWith("mlp on digits: ") && eval.out().contains(" test samples"), eval.out());
    Path digit = tmp.resolve("digit.png");
    javax.imageio.ImageIO.write(TestImages.gray(200), "png", digit.toFile());
    Result predict = run("predict", "--checkpoint", saved.toString(), digit.toString());
    assertEquals(0, predict.exitCode(), predict.err());
    assertEquals(4, predict.out().strip().lines().count(), predict.out());

    // plain weights: a clear message naming --model, and with it the same answers
    Path weights = tmp.resolve("weights.safetensors");
    org.jgrad.io.Weights.save(net, weights);
    Result refused = run("predict", "--checkpoint", weights.toString(), digit.toString());
    JgradCommandTest.assertOneLineError(refused, "has no jgrad model metadata");
    assertTrue(refused.err().contains("--model NAME") && refused.err().contains("--input"), refused.err());
    Result given = run("predict", "--checkpoint", weights.toString(), "--model", "mlp", "--input", "1x8x8", digit.toString());
    assertEquals(0, given.exitCode(), given.err());
    assertEquals(predict.out(), given.out());
    Result evalGiven = run("eval", "--checkpoint", weights.toString(), "--model", "mlp", "--input", "1x8x8", "--data", "digits");
    assertEquals(0, evalGiven.exitCode(), evalGiven.err());
    assertEquals(TrainCommandTest.testAccuracy(eval), TrainCommandTest.testAccuracy(evalGiven), 0);
    JgradCommandTest.assertOneLineError(run("eval", "--checkpoint", weights.toString(), "--model", "mlp", "--input", "1x8x8"),
        "--data");
    JgradCommandTest.assertOneLineError(run("eval", "--checkpoint", saved.toString(), "--model", "mlp"), "drop --model");
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
    // a Keras layout is counted as Keras counts it: the batch norms' moving statistics are non-trainable weights
    Result keras = run("summary", "KERAS.ResNet50");
    assertEquals(0, keras.exitCode(), keras.err());
    assertTrue(keras.out().contains("Total params: 25,636,712\nTrainable params: 25,583,592\nNon-trainable params: 53,120"),
        keras.out());
    assertTrue(keras.out().contains("conv2_block1_1_conv (Conv2d)") && keras.out().contains("[1, 1000]"), keras.out());
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
