package org.jgrad.cli.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What it takes to rebuild a trained model and read its inputs and outputs: stored in the
 * metadata of every checkpoint and weights file the CLI writes, so that {@code jgrad eval} and
 * {@code jgrad predict} need nothing but the file.
 *
 * @param model zoo name, e.g. {@code mlp} or {@code resnet18}
 * @param numClasses number of output classes
 * @param inChannels input channels (1 for tabular data)
 * @param inputShape one sample's shape: {@code [C, H, W]} for images, {@code [F]} for tabular data
 * @param dataset the dataset it was trained on
 * @param classNames class names by label
 */
public record ModelSpec(String model, int numClasses, int inChannels, int[] inputShape, String dataset,
    List<String> classNames) {

  static final String MODEL = "jgrad.model", CLASSES = "jgrad.num_classes", CHANNELS = "jgrad.in_channels",
      SHAPE = "jgrad.input_shape", DATASET = "jgrad.dataset", NAMES = "jgrad.class_names";

  /** Copies the arrays and lists. */
  public ModelSpec {
    inputShape = inputShape.clone();
    classNames = List.copyOf(classNames);
  }

  @Override
  public int[] inputShape() {
    return inputShape.clone();
  }

  /** True for images ({@code [C, H, W]}), false for feature vectors. */
  public boolean isImage() {
    return inputShape.length == 3;
  }

  /** The input shape as {@code 1x8x8}. */
  public String shapeString() {
    return Arrays.stream(inputShape).mapToObj(Integer::toString).collect(Collectors.joining("x"));
  }

  /** The metadata entries describing this spec. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(MODEL, model);
    m.put(CLASSES, Integer.toString(numClasses));
    m.put(CHANNELS, Integer.toString(inChannels));
    m.put(SHAPE, shapeString());
    m.put(DATASET, dataset);
    m.put(NAMES, StringLists.encode(classNames));
    return m;
  }

  /**
   * Reads a spec back from file metadata.
   *
   * @throws IllegalArgumentException naming {@code source} when an entry is missing or malformed
   */
  public static ModelSpec fromMetadata(Map<String, String> m, String source) {
    for (String k : List.of(MODEL, CLASSES, CHANNELS, SHAPE))
      if (!m.containsKey(k))
        throw new IllegalArgumentException(source + " has no '" + k + "' metadata: it was not written by `jgrad train`,"
            + " so the model it holds is unknown");
    try {
      int[] shape = Arrays.stream(m.get(SHAPE).split("x")).mapToInt(Integer::parseInt).toArray();
      int classes = Integer.parseInt(m.get(CLASSES));
      int channels = Integer.parseInt(m.get(CHANNELS));
      if (classes < 1 || channels < 1 || shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1))
        throw new IllegalArgumentException(source + ": malformed jgrad metadata: " + CLASSES + "=" + classes + ", "
            + CHANNELS + "=" + channels + ", " + SHAPE + "=" + m.get(SHAPE) + " must all be positive");
      List<String> names = m.containsKey(NAMES) ? StringLists.decode(m.get(NAMES)) : null;
      if (names != null && names.size() != classes)
        throw new IllegalArgumentException(source + ": its metadata names " + names.size() + " classes (" + NAMES
            + ") for a model of " + classes + " classes (" + CLASSES + "); the file is inconsistent");
      if (names == null) names = defaultNames(classes);
      return new ModelSpec(m.get(MODEL), classes, channels, shape,
          m.getOrDefault(DATASET, "?"), names);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + ": malformed jgrad metadata (" + e.getMessage() + ")", e);
    }
  }

  /** "0", "1", ... for datasets without class names. */
  public static List<String> defaultNames(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(Integer::toString).toList();
  }
}
