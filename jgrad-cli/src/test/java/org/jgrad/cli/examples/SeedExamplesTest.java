package org.jgrad.cli.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.cli.JgradCommandTest;
import org.junit.jupiter.api.Test;

class SeedExamplesTest {

  @Test
  void seed001FeedForwardSumAndSigmoid() {
    String line = SeedExamples.feedForward001();
    assertTrue(line.contains("z = x.w + b = 4.1,"), line);
    assertTrue(line.endsWith("sigmoid(z) = 0.9837"), line);
  }

  @Test
  void examplesCommandRunsEveryExample() {
    var r = JgradCommandTest.run("examples");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(SeedExamples.ALL.size(), r.out().lines().count(), r.out());
    assertTrue(r.out().contains("001-feed-forward"), r.out());
  }

  @Test
  void examplesCanBeSelectedByName() {
    var r = JgradCommandTest.run("examples", "FEED");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("0.9837"), r.out());
    assertEquals(2, JgradCommandTest.run("examples", "no-such-example").exitCode());
  }

  @Test
  void roundingDropsTrailingZeros() {
    assertEquals("4.1", SeedExamples.round(4.099999999999999));
    assertEquals("0.9837", SeedExamples.round(0.98369784));
  }
}
