package org.jgrad.cli.train;

import org.jgrad.nn.Module;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.ZooModel;

/**
 * Builds the model a {@link ModelSpec} names from the zoo's registry ({@link ModelRegistry}), and
 * says which input shape each model takes for a dataset's samples; both read the model's one
 * registry entry.
 */
public final class ModelFactory {
  private ModelFactory() {}

  /** Checks a model name, with the list of valid ones in the message. */
  public static void validate(String name) {
    ModelRegistry.get(name);
  }

  /**
   * The sample shape {@code model} takes for samples of shape {@code dataShape} (its entry's
   * {@link ZooModel#fitInput}).
   *
   * @throws IllegalArgumentException when the model needs images and the data are feature vectors
   */
  public static int[] inputShapeFor(String model, int[] dataShape) {
    return ModelRegistry.get(model).fitInput(dataShape);
  }

  /** A freshly initialized model (weights drawn from the default generator). */
  public static Module create(ModelSpec spec) {
    ZooModel e = ModelRegistry.get(spec.model());
    return e.create(e.argsFor(spec.inputShape(), spec.numClasses()));
  }
}
