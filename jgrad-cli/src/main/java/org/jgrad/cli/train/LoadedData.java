package org.jgrad.cli.train;

import java.util.List;
import java.util.Map;
import org.jgrad.data.Dataset;

/**
 * A dataset ready for training: its train and test parts, class names and one sample's shape.
 *
 * @param name short name used in run folders and metadata ({@code digits}, {@code my-images})
 * @param train samples to train (and validate) on
 * @param test held-out samples for the final accuracy
 * @param testOrigin how the test set came about, for the user ("official test set", "10% held out")
 * @param classNames class names by label
 * @param sampleShape one input's shape: {@code [C, H, W]}, {@code [F]} or {@code [T]} token ids
 * @param task what the targets are
 * @param modelArgs zoo-model arguments the data decide (a text classifier's {@code vocab}); empty for most data
 */
public record LoadedData(String name, Dataset train, Dataset test, String testOrigin, List<String> classNames,
    int[] sampleShape, Task task, Map<String, Object> modelArgs) {

  /** What a dataset's targets are. */
  public enum Task {
    /** One class label per sample. */
    CLASSIFICATION,
    /** A character-level language model's next tokens, one per input position; the classes are the characters. */
    NEXT_TOKEN
  }

  /** Copies the arguments. */
  public LoadedData {
    modelArgs = Map.copyOf(modelArgs);
  }

  /** Classification data with no model arguments of their own. */
  public LoadedData(String name, Dataset train, Dataset test, String testOrigin, List<String> classNames, int[] sampleShape) {
    this(name, train, test, testOrigin, classNames, sampleShape, Task.CLASSIFICATION, Map.of());
  }

  /** Input channels: C for images, 1 for feature vectors. */
  public int inChannels() {
    return sampleShape.length == 3 ? sampleShape[0] : 1;
  }
}
