package org.jgrad.cli.train;

import java.util.List;
import org.jgrad.data.Dataset;

/**
 * A dataset ready for training: its train and test parts, class names and one sample's shape.
 *
 * @param name short name used in run folders and metadata ({@code digits}, {@code my-images})
 * @param train samples to train (and validate) on
 * @param test held-out samples for the final accuracy
 * @param testOrigin how the test set came about, for the user ("official test set", "10% held out")
 * @param classNames class names by label
 * @param sampleShape one input's shape: {@code [C, H, W]} or {@code [F]}
 */
public record LoadedData(String name, Dataset train, Dataset test, String testOrigin, List<String> classNames,
    int[] sampleShape) {

  /** Input channels: C for images, 1 for feature vectors. */
  public int inChannels() {
    return sampleShape.length == 3 ? sampleShape[0] : 1;
  }
}
