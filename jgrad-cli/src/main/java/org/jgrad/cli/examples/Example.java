package org.jgrad.cli.examples;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A worked example from the lectures.
 *
 * @param name short id, the example's topic, e.g. {@code one-neuron-backprop}; {@code jgrad examples NAME} selects by it
 * @param body computes the example and returns its result as one line
 */
public record Example(String name, Callable<String> body) {

  /** @throws NullPointerException when the name or the body is null */
  public Example {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
  }

  /** Runs the example and returns its result line. */
  public String run() throws Exception {
    return body.call();
  }
}
