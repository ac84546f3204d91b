package org.jgrad.monitor.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.ConfusionMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

  static BufferedImage assertPng(Path file) throws IOException {
    assertTrue(Files.isRegularFile(file), file + " missing");
    byte[] head = new byte[8];
    try (var in = Files.newInputStream(file)) {
      assertEquals(8, in.read(head));
    }
    assertEquals(0x89, head[0] & 0xff);
    assertEquals("PNG", new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
    BufferedImage img = ImageIO.read(file.toFile());
    assertNotNull(img, file + " does not decode");
    assertTrue(img.getWidth() >= 400 && img.getHeight() >= 300, img.getWidth() + "x" + img.getHeight());
    return img;
  }

  @Test
  void lossAndAccuracyCurves(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("metrics.csv");
    Files.writeString(csv, """
        epoch,step,loss,accuracy,val_loss,val_accuracy,lr,seconds
        1,10,1.5,0.5,1.2,0.6,0.001,0.5
        2,20,0.8,0.8,0.9,0.75,0.001,0.5
        3,30,0.4,0.9,0.7,0.8,0.001,0.5
        """);
    List<Path> files = TrainingCharts.write(MetricsTable.read(csv), dir);
    assertEquals(List.of(dir.resolve("loss.png"), dir.resolve("accuracy.png")), files);
    assertEquals(800, assertPng(files.get(0)).getWidth());
    assertPng(files.get(1));
  }

  @Test
  void regressionRunsGetOnlyALossChart(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("metrics.csv");
    Files.writeString(csv, "epoch,step,loss,accuracy,val_loss,val_accuracy,lr,seconds\n1,1,2.0,,,,0.1,0.1\n");
    assertEquals(List.of(dir.resolve("loss.png")), TrainingCharts.write(MetricsTable.read(csv), dir));
  }

  @Test
  void confusionHeatMapWithClassNames(@TempDir Path dir) throws IOException {
    ConfusionMatrix cm = new ConfusionMatrix(List.of("cat", "dog", "bird"));
    cm.add(Tensor.ofLongs(0, 1, 1, 2, 0), Tensor.ofLongs(0, 1, 2, 2, 1));
    Path png = ConfusionHeatMap.write(cm, dir.resolve("confusion_matrix.png"));
    assertPng(png);
  }
}
