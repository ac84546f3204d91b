package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jgrad.cli.train.Augmentations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jgrad train --augment}: changes the run, resumes exactly, and refuses what it cannot do. */
class TrainAugmentTest {
  @TempDir Path dir;

  private Path train(String name, int epochs, String... extra) {
    Path out = dir.resolve(name);
    String[] args = {"train", "--epochs", Integer.toString(epochs), "--quiet", "--out", out.toString()};
    String[] all = Arrays.copyOf(args, args.length + extra.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    var r = JgradCommandTest.run(all);
    assertEquals(0, r.exitCode(), r.err());
    return out;
  }

  @Test
  void augmentedRunDiffersFromPlainAndResumesToTheSameWeights() throws IOException {
    Path whole = train("whole", 3, "--augment", "flip,crop");
    Path cut = train("cut", 2, "--augment", "crop,flip");
    var r = JgradCommandTest.run("train", "--quiet", "--resume", cut.toString(), "--epochs", "3");
    assertEquals(0, r.exitCode(), r.err());
    assertArrayEquals(Files.readAllBytes(whole.resolve("model.safetensors")), Files.readAllBytes(cut.resolve("model.safetensors")));
    Path plain = train("plain", 3);
    assertFalse(Arrays.equals(Files.readAllBytes(plain.resolve("model.safetensors")), Files.readAllBytes(whole.resolve("model.safetensors"))));
    var other = JgradCommandTest.run("train", "--resume", cut.toString(), "--epochs", "4", "--augment", "flip");
    JgradCommandTest.assertOneLineError(other, "--augment");
  }

  @Test
  void unknownNamesAndFeatureVectorsAreOneLineErrors() {
    JgradCommandTest.assertOneLineError(JgradCommandTest.run("train", "--augment", "rotate"), "rotate");
    JgradCommandTest.assertOneLineError(
        JgradCommandTest.run("train", "--data", "iris", "--augment", "flip", "--out", dir.resolve("iris").toString()), "--augment");
  }

  @Test
  void storedFormIsOrderedAndWithoutRepeats() {
    assertEquals("crop,flip", Augmentations.normalize("flip, crop,flip"));
    assertEquals("none", Augmentations.normalize("NONE"));
    assertEquals("flip", Augmentations.normalize("flip"));
  }
}
