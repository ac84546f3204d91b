package org.jgrad.cli.train;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jgrad.data.BatchTransform;
import org.jgrad.vision.transforms.BatchAugment;

/** The augmentations {@code jgrad train --augment} offers: {@code none}, or a list of {@code flip} and {@code crop}. */
public final class Augmentations {
  private Augmentations() {}

  /** The names that may appear in the list. */
  public static final List<String> NAMES = List.of("flip", "crop");

  /**
   * The stored form: {@code none}, or the names in a fixed order without repeats ({@code crop,flip}),
   * so that {@code flip,crop} and {@code crop,flip} are the same setting on resume.
   *
   * @throws IllegalArgumentException for an unknown name, listing the valid ones
   */
  public static String normalize(String list) {
    String s = list.trim().toLowerCase(Locale.ROOT);
    if (s.equals("none") || s.isEmpty()) return "none";
    Set<String> asked = new LinkedHashSet<>();
    for (String part : s.split(",")) {
      String name = part.trim();
      if (!NAMES.contains(name))
        throw new IllegalArgumentException("unknown augmentation '" + name + "' in --augment " + list
            + " (expected none, or a comma-separated list of " + String.join(", ", NAMES) + ")");
      asked.add(name);
    }
    List<String> ordered = new ArrayList<>();
    for (String n : List.of("crop", "flip")) if (asked.contains(n)) ordered.add(n);
    return String.join(",", ordered);
  }

  /** Checks a list, with the valid names in the message. */
  public static void validate(String list) {
    normalize(list);
  }

  /**
   * The stored augmentation as a transform for {@link org.jgrad.data.DataLoader.Builder#augment}, or
   * null for {@code none}.
   *
   * @param sampleShape one sample's shape; augmentation needs images [C, H, W]
   * @throws IllegalArgumentException when augmentation is asked for feature vectors
   */
  public static BatchTransform create(String stored, int[] sampleShape) {
    String norm = normalize(stored);
    if (norm.equals("none")) return null;
    if (sampleShape.length != 3)
      throw new IllegalArgumentException("--augment " + stored + " needs images, but the data are vectors of "
          + sampleShape[0] + " features");
    List<BatchTransform> ts = new ArrayList<>();
    for (String n : norm.split(",")) {
      ts.add(switch (n) {
        case "crop" -> BatchAugment.randomCrop(Math.min(sampleShape[1], sampleShape[2]) >= 32 ? 4 : 2);
        case "flip" -> BatchAugment.randomHorizontalFlip(0.5);
        default -> throw new IllegalArgumentException("unknown augmentation '" + n + "'");
      });
    }
    return BatchAugment.compose(ts.toArray(BatchTransform[]::new));
  }
}
