package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classic tools of the lectures from the command line: filter, fft, knn, linear. */
class ClassicCommandsTest {
  @TempDir Path dir;

  private Path image() throws IOException {
    BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        int v = (x / 5 + y / 5) % 2 == 0 ? 220 : 30;
        img.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    Path p = dir.resolve("in.png");
    ImageIO.write(img, "png", p.toFile());
    return p;
  }

  @Test
  void filterWritesTheImageAndPrintsTheInformationLoss() throws IOException {
    Path in = image(), out = dir.resolve("out.png");
    var r = JgradCommandTest.run("filter", "--kernel", "random-uniform:5", "--pool", "max:3", in.toString(), out.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("PSNR") && r.out().contains("SSIM"), r.out());
    BufferedImage written = ImageIO.read(out.toFile());
    assertNotNull(written);
    assertEquals(38, written.getWidth(), "3x3 max pooling at stride 1 trims one pixel per side");
  }

  @Test
  void filterRejectsUnknownKernelsAndMissingFiles() throws IOException {
    Path in = image();
    var r = JgradCommandTest.run("filter", "--kernel", "blur-it", in.toString(), dir.resolve("o.png").toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("blur-it"), r.err());
    var r2 = JgradCommandTest.run("filter", dir.resolve("nope.png").toString(), dir.resolve("o.png").toString());
    assertEquals(2, r2.exitCode());
    assertTrue(r2.err().contains("no such image"), r2.err());
  }

  @Test
  void fftWritesTheSpectrum() throws IOException {
    Path in = image(), out = dir.resolve("spec.png");
    var r = JgradCommandTest.run("fft", in.toString(), out.toString());
    assertEquals(0, r.exitCode(), r.err());
    BufferedImage spec = ImageIO.read(out.toFile());
    assertEquals(40, spec.getWidth());
    assertEquals(30, spec.getHeight());
  }

  @Test
  void knnAndLinearOnTheBundledDigits() {
    var knn = JgradCommandTest.run("knn", "-k", "1", "--metric", "l1");
    assertEquals(0, knn.exitCode(), knn.err());
    assertTrue(knn.out().contains("accuracy 9") || knn.out().contains("accuracy 100"), knn.out());
    var lin = JgradCommandTest.run("linear", "--loss", "softmax", "--epochs", "10");
    assertEquals(0, lin.exitCode(), lin.err());
    assertTrue(lin.out().contains("test accuracy 9"), lin.out());
    assertEquals(2, JgradCommandTest.run("knn", "--metric", "l3").exitCode());
    assertEquals(2, JgradCommandTest.run("linear", "--lr", "-1").exitCode());
    assertEquals(2, JgradCommandTest.run("knn", "--data", "no-such-set").exitCode());
  }
}
