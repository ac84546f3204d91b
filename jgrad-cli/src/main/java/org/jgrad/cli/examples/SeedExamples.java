package org.jgrad.cli.examples;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.functional.F;
import org.jgrad.nn.loss.Losses;
import org.jgrad.nn.loss.Reduction;
import org.jgrad.ops.ConvOps;
import org.jgrad.ops.PoolOps;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.classic.Distances;
import org.jgrad.vision.classic.LinearLoss;

/**
 * The lectures' worked examples, in lecture order, named by topic; run by {@code jgrad examples}.
 * Every number is computed through jgrad tensors and autograd, not by hand.
 */
public final class SeedExamples {

  private SeedExamples() {}

  /** Every example, in lecture order. */
  public static final List<Example> ALL = List.of(
      new Example("softmax-cross-entropy", SeedExamples::crossEntropyTables000),
      new Example("average-pooling", SeedExamples::avgPool000),
      new Example("feed-forward-neuron", SeedExamples::feedForward001),
      new Example("convolution-stride", SeedExamples::convStride001),
      new Example("convolution-padding", SeedExamples::convPadding001),
      new Example("one-neuron-backprop", SeedExamples::oneNeuron002),
      new Example("computational-graph", SeedExamples::graph003),
      new Example("and-perceptron", SeedExamples::andPerceptron003),
      new Example("knn-l1-distance", SeedExamples::knnDistance003),
      new Example("svm-loss", SeedExamples::svmLoss003),
      new Example("softmax-loss", SeedExamples::softmaxLoss003),
      new Example("linear-classifier-demo", SeedExamples::linearDemo003),
      new Example("convolution-1d", SeedExamples::convolve1d004),
      new Example("max-pooling", SeedExamples::maxPool004));

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

  /** Seed 000: mean cross-entropy of the NN1 and NN2 prediction tables (dog/cat), both 1/3 classification error. */
  static String crossEntropyTables000() {
    Tensor labels = Tensor.ofLongs(0, 1, 0);
    Tensor nn1 = Tensor.of(new float[][] {{0.9f, 0.1f}, {0.1f, 0.9f}, {0.4f, 0.6f}});
    Tensor nn2 = Tensor.of(new float[][] {{0.6f, 0.4f}, {0.3f, 0.7f}, {0.1f, 0.9f}});
    return "NN1 cross-entropy = " + round(Losses.nllLoss(nn1.log(), labels).item())
        + " (error " + round(1 - org.jgrad.train.Metrics.accuracy(nn1, labels)) + "), NN2 cross-entropy = "
        + round(Losses.nllLoss(nn2.log(), labels).item()) + " (error " + round(1 - org.jgrad.train.Metrics.accuracy(nn2, labels)) + ")";
  }

  /** Seed 000: 3×3 average pooling of the 5×5 table at stride 1. */
  static String avgPool000() {
    Tensor x = image(new float[][] {{3, 3, 2, 1, 0}, {0, 0, 1, 3, 1}, {3, 1, 2, 2, 3}, {2, 0, 0, 2, 2}, {2, 0, 0, 0, 1}});
    return "3x3 average pooling, stride 1: " + matrix(PoolOps.avgPool2d(x, 3, 1, 0), 1);
  }

  private static final float[][] IMAGE_001 = {{2, 0, 3, 0, 1}, {1, 0, 4, 2, 1}, {3, 1, 1, 0, 1}, {1, 0, 4, 5, 0}, {0, 1, 2, 0, 1}};
  private static final float[][] VERTICAL_LINE = {{0, 1, 0}, {0, 1, 0}, {0, 1, 0}};

  /** Seed 001: the 5×5 image and the vertical-line filter at stride 1 and 2; output size ⌊(W+2P−F)/S⌋+1. */
  static String convStride001() {
    Tensor x = image(IMAGE_001), w = image(VERTICAL_LINE);
    return "stride 1: " + matrix(ConvOps.conv2d(x, w, null, 1, 0), 0) + ", stride 2: "
        + matrix(ConvOps.conv2d(x, w, null, 2, 0), 0);
  }

  /** Seed 001: zero padding keeps the 3×3 size (the seed prints 6 for the last entry; the arithmetic gives 5). */
  static String convPadding001() {
    Tensor x = image(new float[][] {{0, 4, 2}, {1, 1, 0}, {3, 4, 5}}), w = image(VERTICAL_LINE);
    return "no padding: " + matrix(ConvOps.conv2d(x, w, null, 1, 0), 0) + ", padding 1: "
        + matrix(ConvOps.conv2d(x, w, null, 1, 1), 0);
  }

  /** Seed 003: L1 distance between the 4×4 test and training images. */
  static String knnDistance003() {
    Tensor test = Tensor.of(56, 32, 10, 18, 90, 23, 128, 133, 24, 26, 178, 200, 2, 0, 255, 220).reshape(4, 4);
    Tensor train = Tensor.of(10, 20, 24, 17, 8, 10, 89, 100, 12, 16, 178, 170, 4, 32, 233, 112).reshape(4, 4);
    return "L1 distance = " + round(Distances.l1(test, train));
  }

  /** Seed 003: multiclass SVM losses of the cat, car and frog images (columns of the score table). */
  static String svmLoss003() {
    Tensor scores = Tensor.of(new float[][] {{3.2f, 5.1f, -1.7f}, {1.3f, 4.9f, 2.0f}, {2.2f, 2.5f, -3.1f}});
    Tensor losses = Losses.multiClassHingeLoss(scores, Tensor.ofLongs(0, 1, 2), 1.0, Reduction.NONE);
    return "losses cat/car/frog = " + round(losses.get(0)) + " / " + round(losses.get(1)) + " / " + round(losses.get(2))
        + ", mean = " + round(losses.mean().item());
  }

  /** Seed 003: softmax of the cat image's scores and its cross-entropy loss. */
  static String softmaxLoss003() {
    Tensor scores = Tensor.of(new float[][] {{3.2f, 5.1f, -1.7f}});
    Tensor p = F.softmax(scores, 1);
    return String.format(Locale.ROOT, "probabilities cat/car/frog = %.2f / %.2f / %.2f, loss = -ln(%.4f) = %s",
        p.get(0, 0), p.get(0, 1), p.get(0, 2), p.get(0, 0), round(Losses.crossEntropy(scores, Tensor.ofLongs(0)).item()));
  }

  /** Seed 003: the interactive linear-classifier demo's SVM losses with L2 strength 0.1. */
  static String linearDemo003() {
    Tensor w = Tensor.of(new float[][] {{1, 2}, {2, -4}, {3, -1}}), b = Tensor.of(0, 0.5f, -0.5f);
    Tensor x = Tensor.of(new float[][] {{0.5f, 0.4f}, {0.8f, 0.3f}, {0.3f, 0.8f}, {-0.4f, 0.3f}, {-0.3f, 0.7f},
        {-0.7f, 0.2f}, {0.7f, -0.4f}, {0.5f, -0.6f}, {-0.4f, -0.5f}});
    LinearLoss.Result r = LinearLoss.SVM.evaluate(w, b, x, Tensor.ofLongs(0, 0, 0, 1, 1, 1, 2, 2, 2), 0.1);
    StringBuilder sb = new StringBuilder("per-point losses");
    for (double l : r.perSample()) sb.append(' ').append(String.format(Locale.ROOT, "%.2f", l));
    return sb + String.format(Locale.ROOT, ", data loss %.2f, regularization loss %.2f, total %.2f",
        r.dataLoss(), r.regLoss(), r.dataLoss() + r.regLoss());
  }

  /** Seed 004: true (flipped-kernel) convolution f[-3:3] * g[-1:1] at n = 2. */
  static String convolve1d004() {
    Tensor f = Tensor.of(1, 9, 0, 5, 2, 4, 3), g = Tensor.of(-2, 0, 2);
    Tensor y = ConvOps.convolve1d(f, g, "same"); // y[i] is (f*g)[i - 3]
    return "(f*g)[2] = " + round(y.get(5)) + " (kernel flipped; a CNN layer's cross-correlation gives "
        + round(ConvOps.conv1d(f.reshape(1, 1, 7), g.reshape(1, 1, 3), null, 1, 1, 1, 1).get(0, 0, 5)) + ")";
  }

  /** Seed 004: 3×3 max pooling of the 6×6 table at stride 1 and stride 3. */
  static String maxPool004() {
    Tensor x = image(new float[][] {{1, 4, 5, 8, 2, 1}, {0, 3, 1, 5, 7, 2}, {1, 2, 1, 4, 7, 1}, {2, 2, 0, 3, 6, 2},
        {0, 1, 7, 3, 5, 3}, {1, 3, 4, 1, 2, 4}});
    return "stride 1: " + matrix(PoolOps.maxPool2d(x, 3, 1, 0), 0) + ", stride 3: " + matrix(PoolOps.maxPool2d(x, 3, 3, 0), 0);
  }

  /** A 2-D table as a [1, 1, H, W] image batch. */
  private static Tensor image(float[][] rows) {
    Tensor t = Tensor.of(rows);
    return t.reshape(1, 1, t.size(0), t.size(1));
  }

  /** The last two dims of a tensor as {@code [[a,b],[c,d]]} with the given decimals. */
  static String matrix(Tensor t, int decimals) {
    Tensor m = t.reshape(t.size(-2), t.size(-1));
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < m.size(0); i++) {
      sb.append(i > 0 ? ",[" : "[");
      for (int j = 0; j < m.size(1); j++) {
        if (j > 0) sb.append(',');
        sb.append(String.format(Locale.ROOT, "%." + decimals + "f", m.get(i, j)));
      }
      sb.append(']');
    }
    return sb.append(']').toString();
  }

  /** Rounded to 4 decimals, without trailing zeros: 4.0999999 -> "4.1". */
  static String round(double value) {
    return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros()
        .toPlainString();
  }
}
