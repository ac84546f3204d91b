package org.jgrad.cli.train;

import java.io.IOException;
import java.nio.file.Path;
import org.jgrad.nn.Module;
import org.jgrad.vision.models.ModelInfo;
import org.jgrad.vision.models.SavedModel;

/**
 * A model rebuilt from a model file ({@link SavedModel}: written by {@code jgrad train} or from
 * code), with the training settings when {@code jgrad train} wrote it.
 *
 * @param settings the training settings, or null for a file without them
 */
public record TrainedModel(SavedModel saved, TrainSettings settings) {

  /** What the model is. */
  public ModelInfo info() {
    return saved.info();
  }

  /** The model, in evaluation mode. */
  public Module model() {
    return saved.model();
  }

  /**
   * Loads {@code file}; {@code ifMissing} (or null) is the model to build when the file does not
   * say (weights saved without jgrad's model metadata).
   */
  public static TrainedModel load(Path file, ModelInfo ifMissing) throws IOException {
    SavedModel s = SavedModel.load(file, ifMissing);
    TrainSettings settings = null;
    if (s.metadata().containsKey("jgrad.train.seed")) settings = TrainSettings.fromMetadata(s.metadata(), file.toString());
    return new TrainedModel(s, settings);
  }
}
