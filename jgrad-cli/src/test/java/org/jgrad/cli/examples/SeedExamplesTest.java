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
  void lectureTablesThroughConvPoolAndLosses() {
    assertEquals("stride 1: [[1,8,2],[1,9,7],[2,7,5]], stride 2: [[1,2],[2,5]]", SeedExamples.convStride001());
    assertTrue(SeedExamples.convPadding001().endsWith("padding 1: [[1,5,2],[4,9,7],[4,5,5]]"));
    assertEquals("stride 1: [[5,8,8,8],[3,5,7,7],[7,7,7,7],[7,7,7,6]], stride 3: [[5,8],[7,6]]", SeedExamples.maxPool004());
    assertTrue(SeedExamples.avgPool000().endsWith("[[1.7,1.7,1.7],[1.0,1.2,1.8],[1.1,0.8,1.3]]"));
    assertTrue(SeedExamples.convolve1d004().startsWith("(f*g)[2] = -2 "));
    assertEquals("L1 distance = 456", SeedExamples.knnDistance003());
    assertTrue(SeedExamples.svmLoss003().startsWith("losses cat/car/frog = 2.9 / 0 / 12.9"));
    assertTrue(SeedExamples.softmaxLoss003().startsWith("probabilities cat/car/frog = 0.13 / 0.87 / 0.00"));
    assertTrue(SeedExamples.linearDemo003().endsWith(
        "0.30 1.70 0.00 3.20 6.80 2.40 2.50 3.30 4.70, data loss 2.77, regularization loss 3.50, total 6.27"));
    assertEquals("NN1 cross-entropy = 0.3757 (error 0.3333), NN2 cross-entropy = 1.0567 (error 0.3333)",
        SeedExamples.crossEntropyTables000());
  }

  @Test
  void examplesCommandRunsEveryExample() {
    var r = JgradCommandTest.run("examples");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(SeedExamples.ALL.size(), r.out().lines().count(), r.out());
    assertTrue(r.out().contains("feed-forward-neuron"), r.out());
    // Named by topic, as the docs name them, not by the lecture files' numbers.
    assertTrue(r.out().lines().noneMatch(l -> l.matches("^\\d{3}-.*")), r.out());
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
