package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code jgrad features} on the bundled digits (seconds); the Fashion-MNIST table behind {@code -Djgrad.long=true}. */
class FeaturesCommandTest {
  @Test
  void hogAndALinearSvmOnTheDigitsAgainstLeNet() {
    var r = JgradCommandTest.run("features", "--data", "digits", "--kind", "hog", "--hog-cell", "2", "--classifier",
        "linear-svm", "--max-train", "400", "--max-test", "100");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("digits: hog(9 orientations, 2x2 cells, 2x2 blocks, L2_HYS), 324 features + linear-svm: test accuracy"),
        r.out());
    assertTrue(r.out().contains("LeNet-5, same wall time"), r.out());
    Matcher m = Pattern.compile("features ([0-9.]+) s, training ([0-9.]+) s.*\\R+LeNet-5 trained for ([0-9.]+) s \\(([0-9]+) steps")
        .matcher(r.out());
    assertTrue(m.find(), r.out());
    double budget = Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2));
    assertTrue(Double.parseDouble(m.group(3)) >= budget - 0.1 && Long.parseLong(m.group(4)) >= 1, r.out());
  }

  @Test
  void badOptionsAreUsageErrors() {
    var r = JgradCommandTest.run("features", "--data", "digits", "--kind", "sift");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--kind must be hog, color, bovw or pixels, got 'sift'"), r.err());
    assertEquals(2, JgradCommandTest.run("features", "--data", "digits", "--classifier", "tree").exitCode());
    r = JgradCommandTest.run("features", "--data", "digits", "--bins", "0");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--bins must be at least 1, got 0"), r.err());
    assertEquals(2, JgradCommandTest.run("features", "--data", "no-such-set").exitCode());
  }

  private static final Pattern ACCURACY = Pattern.compile("test accuracy ([0-9.]+)%");

  /**
   * The README's table: each kind with a linear SVM on all of Fashion-MNIST, and LeNet-5 for the same
   * wall time. Minutes each, so only with {@code -Djgrad.long=true}:
   * {@code ./mvnw -pl jgrad-cli -am test -Djgrad.long=true -Dtest=FeaturesCommandTest -Dsurefire.failIfNoSpecifiedTests=false}.
   */
  @EnabledIfSystemProperty(named = "jgrad.long", matches = "true")
  @ParameterizedTest(name = "{0} reaches {2}")
  @CsvSource({"pixels, 0, 0.82", "color, 0, 0.30", "hog, 0, 0.86", "bovw, 1, 0.80"})
  void fashionMnistTable(String kind, int pyramid, double target) {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
        "dataset-fashion-mnist is not installed");
    var r = JgradCommandTest.run("features", "--data", "fashion-mnist", "--kind", kind, "--classifier", "linear-svm",
        "--pyramid", String.valueOf(pyramid));
    assertEquals(0, r.exitCode(), r.err());
    System.out.println(r.out());
    Matcher m = ACCURACY.matcher(r.out());
    assertTrue(m.find(), r.out());
    double acc = Double.parseDouble(m.group(1)) / 100;
    assertTrue(acc >= target, kind + " test accuracy " + acc + " < " + target);
  }
}
