package org.jgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The accuracy targets on the real Fashion-MNIST (Debian's dataset-fashion-mnist), 10 epochs each,
 * official test set. Long (minutes), so only with {@code -Djgrad.long=true}:
 * {@code ./mvnw -pl jgrad-cli -am test -Djgrad.long=true -Dtest=FashionMnistAccuracyTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "jgrad.long", matches = "true")
class FashionMnistAccuracyTest {
  @TempDir Path dir;

  private static final Pattern ACCURACY = Pattern.compile("test accuracy: ([0-9.]+)");

  @ParameterizedTest(name = "{0} reaches {6}")
  @CsvSource({
      "mlp,          adam, 1e-3, cosine, none, 0.1, 0.89",
      "lenet5,       adam, 3e-3, cosine, none, 0.1, 0.90",
      "vgg_small_bn, adam, 1e-3, cosine, flip, 0,   0.93"})
  void reachesTheIssuesTarget(String model, String optimizer, String lr, String schedule, String augment, String valSplit,
      double target) {
    assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")), "dataset-fashion-mnist is not installed");
    var r = JgradCommandTest.run("train", "--data", "fashion-mnist", "--model", model, "--epochs", "10",
        "--optimizer", optimizer, "--lr", lr, "--schedule", schedule, "--augment", augment, "--val-split", valSplit,
        "--batch-size", "64", "--seed", "42", "--quiet",
        "--out", dir.resolve(model).toString());
    assertEquals(0, r.exitCode(), r.err());
    Matcher m = ACCURACY.matcher(r.out());
    assertTrue(m.find(), r.out());
    double acc = Double.parseDouble(m.group(1));
    System.out.printf("%s on Fashion-MNIST: test accuracy %.4f (target %.2f)%n", model, acc, target);
    assertTrue(acc >= target, model + " test accuracy " + acc + " < " + target);
  }
}
