package org.jgrad.cli.train;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;

/** Builds the model a {@link ModelSpec} names. */
public final class ModelFactory {
  private ModelFactory() {}

  /** The names accepted by {@code --model}. */
  public static final List<String> NAMES = names();

  private static List<String> names() {
    List<String> n = new ArrayList<>(List.of("mlp", "lenet5", "alexnet"));
    for (String v : List.of("vgg11", "vgg13", "vgg16", "vgg19")) {
      n.add(v);
      n.add(v + "_bn");
    }
    n.addAll(List.of("resnet18", "resnet34", "resnet50", "resnet101", "resnet152"));
    return List.copyOf(n);
  }

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
      // AlexNet's stride-4 stem and three 3x3/2 poolings need 63 pixels; VGG's five 2x2 poolings and
      // ResNet's 32x downsampling need 32.
      case "alexnet" -> new int[] {c, Math.max(h, 64), Math.max(w, 64)};
      default -> new int[] {c, Math.max(h, 32), Math.max(w, 32)};
    };
  }

  /** A freshly initialized model (weights drawn from the default generator). */
  public static Module create(ModelSpec spec) {
    validate(spec.model());
    if (spec.model().equals("mlp")) return mlp(spec);
    throw new IllegalArgumentException("model '" + spec.model() + "' is not available in this build yet (the model zoo"
        + " has not landed); use --model mlp");
  }

  // Two hidden layers are plenty for the bundled datasets and Fashion-MNIST, and train in seconds.
  private static Module mlp(ModelSpec spec) {
    int in = 1;
    for (int d : spec.inputShape()) in *= d;
    return new Sequential(new Flatten(), new Linear(in, 256), new ReLU(), new Linear(256, 128), new ReLU(),
        new Linear(128, spec.numClasses()));
  }
}
