package org.jgrad.cli.examples;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.jgrad.autograd.NoGrad;
import org.jgrad.tensor.Tensor;

/**
 * The lectures' worked examples ("seeds"), in lecture order; run by {@code jgrad examples}. Every
 * number is computed through jgrad tensors and autograd, not by hand.
 */
public final class SeedExamples {

  private SeedExamples() {}

  public static final List<Example> ALL = List.of(
      new Example("001-feed-forward", SeedExamples::feedForward001),
      new Example("002-one-neuron-backprop", SeedExamples::oneNeuron002),
      new Example("003-computational-graph", SeedExamples::graph003),
      new Example("003-and-perceptron", SeedExamples::andPerceptron003));

  /**
   * Seed 001: one neuron's weighted sum and its sigmoid.
   * x = (5, 3, 2), w = (0.1, 0.6, 0.5), b = 0.8: z = x.w + b = 4.1, sigmoid(z) = 0.9837
   * (the seed writes 1/(1+e^4.1) = 0.0163, a sign slip).
   */
  static String feedForward001() {
    Tensor x = Tensor.of(5f, 3f, 2f);
    Tensor w = Tensor.of(0.1f, 0.6f, 0.5f);
    Tensor z = x.matmul(w).add(0.8f);
    return "x=(5, 3, 2) w=(0.1, 0.6, 0.5) b=0.8: z = x.w + b = " + round(z.item())
        + ", sigmoid(z) = " + round(z.sigmoid().item());
  }

  /**
   * Seed 002: one sigmoid neuron, w=0.3, b=0.1, x=0.5, y=1.5, loss ½(y−ŷ)², one SGD step with lr 0.1.
   * The seed rounds intermediate values and gets w=0.312, b=0.125; exact arithmetic gives 0.3115, 0.1231.
   */
  static String oneNeuron002() {
    Tensor w = Tensor.scalar(0.3f).requiresGrad(true);
    Tensor b = Tensor.scalar(0.1f).requiresGrad(true);
    Tensor yHat = w.mul(0.5f).add(b).sigmoid();
    Tensor loss = yHat.rsub(1.5f).square().mul(0.5f);
    loss.backward();
    String grads = "dL/dw = " + round(w.grad().item()) + ", dL/db = " + round(b.grad().item());
    try (NoGrad g = NoGrad.enter()) {
      w.addInPlace(w.grad(), -0.1f);
      b.addInPlace(b.grad(), -0.1f);
    }
    return "y_hat = " + round(yHat.item()) + ", loss = " + round(loss.item()) + ", " + grads
        + ", after one step w = " + round(w.item()) + ", b = " + round(b.item());
  }

  /** Seed 003: f(x,y,z) = (x+y)z at x=−2, y=5, z=−4 and its gradients by backpropagation. */
  static String graph003() {
    Tensor x = Tensor.scalar(-2f).requiresGrad(true);
    Tensor y = Tensor.scalar(5f).requiresGrad(true);
    Tensor z = Tensor.scalar(-4f).requiresGrad(true);
    Tensor f = x.add(y).mul(z);
    f.backward();
    return "f = (x+y)z = " + round(f.item()) + ", df/dx = " + round(x.grad().item())
        + ", df/dy = " + round(y.grad().item()) + ", df/dz = " + round(z.grad().item());
  }

  /** Seed 003: a perceptron with weights (0.5, 0.5) and a unit step at 0.5 computes AND. */
  static String andPerceptron003() {
    Tensor inputs = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
    Tensor out = inputs.matmul(Tensor.of(0.5f, 0.5f)).gt(0.5f);
    StringBuilder sb = new StringBuilder("AND truth table:");
    for (int i = 0; i < 4; i++) {
      sb.append(' ').append((int) inputs.get(i, 0)).append((int) inputs.get(i, 1))
          .append("->").append((int) out.get(i));
    }
    return sb.toString();
  }

  /** Rounded to 4 decimals, without trailing zeros: 4.0999999 -> "4.1". */
  static String round(double value) {
    return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros()
        .toPlainString();
  }
}
