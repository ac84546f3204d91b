package org.jgrad.cli.train;

import java.util.Collection;
import java.util.List;
import org.jgrad.optim.Adagrad;
import org.jgrad.optim.Adam;
import org.jgrad.optim.AdamW;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.RMSprop;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.Tensor;

/** Builds the optimizer {@code --optimizer} names. */
public final class OptimizerFactory {
  private OptimizerFactory() {}

  /** The names accepted by {@code --optimizer}. */
  public static final List<String> NAMES = List.of("sgd", "momentum", "adagrad", "rmsprop", "adam", "adamw");

  /** Checks an optimizer name, with the list of valid ones in the message. */
  public static void validate(String name) {
    if (!NAMES.contains(name))
      throw new IllegalArgumentException("unknown optimizer '" + name + "' (expected one of " + String.join(", ", NAMES) + ")");
  }

  /** The learning rate used when none is given: the usual starting point for each method. */
  public static double defaultLr(String name) {
    return switch (name) {
      case "sgd" -> 0.1;
      case "momentum", "adagrad" -> 0.01;
      default -> 1e-3;
    };
  }

  /** {@code momentum} is SGD with momentum 0.9; {@code adamw} decouples the weight decay. */
  public static Optimizer create(String name, Collection<Tensor> params, double lr, double weightDecay) {
    validate(name);
    return switch (name) {
      case "sgd" -> new SGD(params, lr).weightDecay(weightDecay);
      case "momentum" -> new SGD(params, lr).momentum(0.9).weightDecay(weightDecay);
      case "adagrad" -> new Adagrad(params, lr).weightDecay(weightDecay);
      case "rmsprop" -> new RMSprop(params, lr).weightDecay(weightDecay);
      case "adam" -> new Adam(params, lr).weightDecay(weightDecay);
      default -> new AdamW(params, lr).weightDecay(weightDecay);
    };
  }
}
