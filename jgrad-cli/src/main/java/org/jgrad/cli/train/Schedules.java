package org.jgrad.cli.train;

import java.util.List;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.lr.CosineAnnealingLR;
import org.jgrad.optim.lr.StepLR;
import org.jgrad.train.Trainer;

/** The learning-rate schedules {@code jgrad train --schedule} offers, stored as e.g. {@code cosine@10}. */
public final class Schedules {
  private Schedules() {}

  /** The names accepted by {@code --schedule}. */
  public static final List<String> NAMES = List.of("none", "cosine", "step");

  /** Checks a schedule name, listing the valid ones in the message. */
  public static void validate(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("unknown schedule '" + name + "' (expected one of " + String.join(", ", NAMES) + ")");
    }
  }

  /** The stored form: the kind and the number of epochs it spans. */
  public static String encode(String name, int epochs) {
    return name.equals("none") ? "none" : name + "@" + epochs;
  }

  /** The kind of a stored schedule ({@code cosine@10} → {@code cosine}). */
  public static String kind(String stored) {
    int at = stored.indexOf('@');
    return at < 0 ? stored : stored.substring(0, at);
  }

  /** Adds the stored schedule to a trainer being built. */
  public static void attach(Trainer.Builder builder, Optimizer optimizer, String stored) {
    String kind = kind(stored);
    if (kind.equals("none")) return;
    int span;
    try {
      span = Integer.parseInt(stored.substring(stored.indexOf('@') + 1));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("malformed schedule '" + stored + "' (expected e.g. cosine@10)");
    }
    switch (kind) {
      case "cosine" -> builder.scheduler(new CosineAnnealingLR(optimizer, span));
      case "step" -> builder.scheduler(new StepLR(optimizer, Math.max(1, span / 3), 0.1));
      default -> throw new IllegalArgumentException("unknown schedule '" + stored + "'");
    }
  }
}
