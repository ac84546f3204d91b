package org.jgrad.cli.examples;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** The lectures' worked examples ("seeds"), in lecture order; run by {@code jgrad examples}. */
public final class SeedExamples {

  private SeedExamples() {}

  public static final List<Example> ALL = List.of(
      new Example("001-feed-forward", SeedExamples::feedForward001));

  /**
   * Seed 001: one neuron's weighted sum and its sigmoid.
   * x = (5, 3, 2), w = (0.1, 0.6, 0.5), b = 0.8: z = x.w + b = 4.1, sigmoid(z) = 0.9837.
   */
  // Plain Java math for now; to be rewritten with jgrad tensors.
  static String feedForward001() {
    double[] x = {5, 3, 2};
    double[] w = {0.1, 0.6, 0.5};
    double b = 0.8;
    double z = b;
    for (int i = 0; i < x.length; i++) {
      z += x[i] * w[i];
    }
    double sigmoid = 1 / (1 + Math.exp(-z));
    return "x=(5, 3, 2) w=(0.1, 0.6, 0.5) b=0.8: z = x.w + b = " + round(z)
        + ", sigmoid(z) = " + round(sigmoid);
  }

  /** Rounded to 4 decimals, without trailing zeros: 4.0999999 -> "4.1". */
  static String round(double value) {
    return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros()
        .toPlainString();
  }
}
