package org.jgrad.cli.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The choices that shape a training run's numbers. {@code schedule} is {@code none}, or a schedule
 * kind with the number of epochs it spans, e.g. {@code cosine@10}; {@code augment} is {@code none} or a
 * comma-separated list of {@link Augmentations} (fixed when the run starts, so a
 * resumed run with more epochs keeps the original learning-rate curve). They are stored in each checkpoint so that
 * {@code --resume} repeats them exactly: the same data split, batches and update rule.
 */
public record TrainSettings(String model, String data, String optimizer, double lr, double weightDecay, int batchSize,
    double valSplit, long seed, String schedule, String augment) {

  private static final String P = "jgrad.train.";

  /** Metadata entries for a checkpoint. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(P + "model", model);
    m.put(P + "data", data);
    m.put(P + "optimizer", optimizer);
    m.put(P + "lr", Double.toString(lr));
    m.put(P + "weight_decay", Double.toString(weightDecay));
    m.put(P + "batch_size", Integer.toString(batchSize));
    m.put(P + "val_split", Double.toString(valSplit));
    m.put(P + "seed", Long.toString(seed));
    m.put(P + "schedule", schedule);
    m.put(P + "augment", augment);
    return m;
  }

  /**
   * Reads settings back from checkpoint metadata.
   *
   * @throws IllegalArgumentException naming {@code source} when the entries are missing
   */
  public static TrainSettings fromMetadata(Map<String, String> m, String source) {
    TrainSettings t;
    try {
      t = new TrainSettings(get(m, "model", source), get(m, "data", source), get(m, "optimizer", source),
          Double.parseDouble(get(m, "lr", source)), Double.parseDouble(get(m, "weight_decay", source)),
          Integer.parseInt(get(m, "batch_size", source)), Double.parseDouble(get(m, "val_split", source)),
          Long.parseLong(get(m, "seed", source)), m.getOrDefault(P + "schedule", "none"),
          m.getOrDefault(P + "augment", "none"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + ": malformed training settings in its metadata (" + e.getMessage() + ")");
    }
    t.check(source);
    return t;
  }

  /** The same limits `jgrad train` puts on its options: a file must not hold what the command line refuses. */
  void check(String source) {
    String bad = null;
    if (!(lr > 0 && Double.isFinite(lr))) bad = "lr " + lr + " (must be a positive number)";
    else if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) bad = "weight_decay " + weightDecay + " (must be >= 0)";
    else if (batchSize < 1) bad = "batch_size " + batchSize + " (must be positive)";
    else if (!(valSplit >= 0 && valSplit < 1)) bad = "val_split " + valSplit + " (must be in [0, 1))";
    if (bad == null) {
      try {
        org.jgrad.vision.models.ModelRegistry.get(model);
        OptimizerFactory.validate(optimizer);
        Schedules.validate(Schedules.kind(schedule));
        Augmentations.validate(augment);
      } catch (IllegalArgumentException e) {
        bad = e.getMessage();
      }
    }
    if (bad != null)
      throw new IllegalArgumentException(source + ": invalid training settings in its metadata: " + bad);
  }

  private static String get(Map<String, String> m, String key, String source) {
    String v = m.get(P + key);
    if (v == null)
      throw new IllegalArgumentException(source + " has no training settings ('" + P + key + "'): it was not written by"
          + " `jgrad train`, so it cannot be resumed");
    return v;
  }
}
