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
