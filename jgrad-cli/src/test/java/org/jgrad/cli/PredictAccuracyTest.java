package org.jgrad.cli;

import static org.jgrad.cli.JgradCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.cli.JgradCommandTest.Result;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Subset;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.Module;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.Adam;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.datasets.MnistDatasets;
import org.jgrad.vision.models.ModelInfo;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.SavedModel;
import org.jgrad.vision.models.ZooModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jgrad predict} on Fashion-MNIST test images exported as 8-bit grey PNGs classifies every
 * image exactly as the model does on the IDX tensors, so the two accuracies are equal (before the
 * exact decoder, PNGs were read through sRGB gamma: 0.850 against 0.868 for LeNet-5). The default
 * run uses the first 300 test images; {@code -Djgrad.long=true} uses all 10,000.
 */
class PredictAccuracyTest {

  @Test
  void predictOnExportedPngsMatchesTheIdxTensors(@TempDir Path tmp) throws IOException {
    boolean present;
    try {
      MnistDatasets.find("fashion-mnist");
      present = true;
    } catch (IOException e) {
      present = false;
    }
    assumeTrue(present, "Fashion-MNIST is not installed (Debian's dataset-fashion-mnist): test skipped");
    MnistDatasets.TrainTest data = MnistDatasets.fashionMnist();
    int n = Boolean.getBoolean("jgrad.long") ? data.test().size() : 300;

    // a quickly trained MLP: well above chance, so brightened pixels would change some answers
    DefaultGenerator.manualSeed(7);
    ZooModel entry = ModelRegistry.get("mlp");
    int[] shape = {1, 28, 28};
    Module model = entry.create(entry.argsFor(shape, 10));
    Adam opt = new Adam(model.parameters(), 1e-3);
    CrossEntropyLoss lossFn = new CrossEntropyLoss();
    int[] firstTrain = java.util.stream.IntStream.range(0, 6000).toArray();
    DataLoader train = DataLoader.builder(new Subset(data.train(), firstTrain)).batchSize(64).shuffle(true).seed(7).build();
    for (int epoch = 0; epoch < 2; epoch++)
      for (Batch b : train) {
        opt.zeroGrad();
        lossFn.forward(model.call(b.inputs()), b.targets()).backward();
        opt.step();
      }
    model.eval();
    Path weights = tmp.resolve("model.safetensors");
    List<String> classes = MnistDatasets.FASHION_CLASSES;
    // saved from code, as a user would: predict needs nothing else
    SavedModel.save(model, ModelInfo.of("mlp", shape, 10).withClassNames(classes).withDataset("fashion-mnist"), weights);

    TensorDataset test = data.test();
    Tensor x = test.inputTensor().narrow(0, 0, n);
    long[] labels = test.targetTensor().narrow(0, 0, n).contiguous().toLongArray();
    long[] direct;
    try (NoGrad g = NoGrad.enter()) {
      direct = model.call(x).argmax(1, false).toLongArray();
    }
    List<String> args = new ArrayList<>(List.of("predict", "--checkpoint", weights.toString(), "--top", "1"));
    float[] pixels = x.contiguous().toFloatArray();
    for (int i = 0; i < n; i++) {
      BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      for (int p = 0; p < 28 * 28; p++) img.getRaster().setSample(p % 28, p / 28, 0, Math.round(pixels[i * 784 + p] * 255));
      Path f = tmp.resolve(String.format("%05d.png", i));
      javax.imageio.ImageIO.write(img, "png", f.toFile());
      args.add(f.toString());
    }
    Result r = run(args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().isBlank(), "28x28 grey images need no fitting: " + r.err());
    List<String> lines = r.out().strip().lines().toList();
    assertEquals(2 * n, lines.size());
    int directRight = 0, predictRight = 0;
    for (int i = 0; i < n; i++) {
      String answer = lines.get(2 * i + 1).strip().replaceFirst("^1\\. ", "").replaceFirst("\\s+\\d\\.\\d{4}$", "");
      assertEquals(classes.get((int) direct[i]), answer, "image " + i + ": " + lines.get(2 * i + 1));
      if (direct[i] == labels[i]) directRight++;
      if (answer.equals(classes.get((int) labels[i]))) predictRight++;
    }
    System.out.printf("predict on %d exported PNGs: accuracy %.4f; on the IDX tensors: %.4f%n", n,
        predictRight / (double) n, directRight / (double) n);
    assertEquals(directRight, predictRight);
    assertTrue(directRight > 0.6 * n, "the model learned something: " + directRight + "/" + n);
  }
}
