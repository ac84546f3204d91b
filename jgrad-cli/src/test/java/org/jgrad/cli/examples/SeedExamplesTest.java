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
  void seed002OneNeuronStepThroughAutograd() {
    String line = SeedExamples.oneNeuron002();
    assertTrue(line.contains("y_hat = 0.5622, loss = 0.4398"), line);
    assertTrue(line.contains("dL/dw = -0.1154, dL/db = -0.2308"), line);
    assertTrue(line.endsWith("w = 0.3115, b = 0.1231"), line);
  }

  @Test
  void seed003GraphAndPerceptron() {
    assertEquals("f = (x+y)z = -12, df/dx = -4, df/dy = -4, df/dz = 3", SeedExamples.graph003());
    assertEquals("AND truth table: 00->0 01->0 10->0 11->1", SeedExamples.andPerceptron003());
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
