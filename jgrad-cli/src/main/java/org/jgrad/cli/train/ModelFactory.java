package org.jgrad.cli.train;

import java.util.List;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.vision.models.MLP;
import org.jgrad.vision.models.Models;

/**
 * Builds the model a {@link ModelSpec} names from the model zoo ({@link Models}), and says which
 * input shape each model takes for a dataset's samples.
 */
public final class ModelFactory {
  private ModelFactory() {}

  /** The names accepted by {@code --model}. */
  public static final List<String> NAMES = Models.NAMES;

  // For inputs other than the lectures' 28x28 images; plenty for 64 digit pixels or a few CSV columns.
  private static final int[] SMALL_MLP_HIDDEN = {256, 128};

  /** Checks a model name, with the list of valid ones in the message. */
  public static void validate(String name) {
    if (!NAMES.contains(name))
      throw new IllegalArgumentException("unknown model '" + name + "' (expected one of " + String.join(", ", NAMES) + ")");
  }

  /**
   * The sample shape {@code model} takes for samples of shape {@code dataShape}: the data's own for
   * the MLP; for the convolutional models images of at least the size their pooling needs (LeNet-5
   * exactly its 28×28 or 32×32).
   *
   * @throws IllegalArgumentException when the model needs images and the data are feature vectors
   */
  public static int[] inputShapeFor(String model, int[] dataShape) {
    validate(model);
    if (model.equals("mlp")) return dataShape.clone();
    if (dataShape.length != 3)
      throw new IllegalArgumentException("model " + model + " takes images, but the data are vectors of "
          + dataShape[0] + " features; use --model mlp");
    int c = dataShape[0], h = dataShape[1], w = dataShape[2];
    return switch (model) {
      case "lenet5" -> new int[] {c, 28, 28};
      case "lenet5_classic" -> new int[] {c, 32, 32};
      // two 2x2 poolings to the 7x7 the classifier expects (larger images are pooled down to it)
      case "vgg_small_bn" -> new int[] {c, Math.max(h, 28), Math.max(w, 28)};
      // AlexNet's stride-4 stem and three 3x3/2 poolings need 63 pixels; VGG's five 2x2 poolings and
      // ResNet's 32x downsampling need 32.
      case "alexnet" -> new int[] {c, Math.max(h, 64), Math.max(w, 64)};
      default -> new int[] {c, Math.max(h, 32), Math.max(w, 32)};
    };
  }

  /** A freshly initialized model (weights drawn from the default generator). */
  public static Module create(ModelSpec spec) {
    validate(spec.model());
    int[] s = spec.inputShape();
    if (spec.model().equals("mlp")) {
      if (s.length == 3 && s[1] == Models.MLP_IMAGE_SIZE && s[2] == Models.MLP_IMAGE_SIZE)
        return Models.create("mlp", spec.numClasses(), spec.inChannels()); // the lectures' 500-250-125 network
      int features = 1;
      for (int d : s) features *= d;
      return new MLP(features, SMALL_MLP_HIDDEN, spec.numClasses(), ReLU::new);
    }
    return Models.create(spec.model(), spec.numClasses(), spec.inChannels());
  }
}
