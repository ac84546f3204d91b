package org.jgrad.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small synthetic image folders for tests. */
final class TestImages {
  private TestImages() {}

  /** {@code root/dark/*.png} and {@code root/light/*.png}, 10 gray 8x8 images each. */
  static Path folder(Path root) throws IOException {
    for (String cls : new String[] {"dark", "light"}) {
      Files.createDirectories(root.resolve(cls));
      for (int i = 0; i < 10; i++) {
        int v = cls.equals("dark") ? 20 + i : 220 - i;
        ImageIO.write(gray(v), "png", root.resolve(cls).resolve(i + ".png").toFile());
      }
    }
    return root;
  }

  static BufferedImage gray(int v) {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) img.getRaster().setSample(x, y, 0, v);
    return img;
  }
}
