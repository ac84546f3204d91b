package org.jgrad.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.jgrad.vision.classic.LinearLoss;
import org.jgrad.vision.tools.LinearTool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jgrad linear}: the lectures' linear classifier f(x) = Wx + b with SVM or softmax loss. */
@Command(
    name = "linear",
    sortOptions = false,
    description = "Train a linear classifier f(x) = Wx + b with the multiclass SVM (Weston-Watkins) or softmax loss "
        + "plus L2 regularization, by minibatch SGD, and print train and test accuracy.")
final class LinearCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "NAME", defaultValue = "digits",
      description = "digits, fashion-mnist or mnist (default: ${DEFAULT-VALUE}).")
  String data;

  @Option(names = "--loss", paramLabel = "svm|softmax", defaultValue = "softmax", description = "Loss (default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(names = "--lambda", paramLabel = "L", defaultValue = "1e-3",
      description = "L2 regularization strength λ in λ·ΣW² (default: ${DEFAULT-VALUE}).")
  double lambda;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "30", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.1", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Override
  public Integer call() throws IOException {
    OptionChecks.positive(spec, "--epochs", epochs);
    if (!(lr > 0)) throw new ParameterException(spec.commandLine(), "--lr must be positive, got " + lr);
    if (!(lambda >= 0)) throw new ParameterException(spec.commandLine(), "--lambda must be >= 0, got " + lambda);
    LinearTool.Result r;
    try {
      r = LinearTool.run(data, LinearLoss.of(loss), lambda, epochs, lr);
    } catch (IllegalArgumentException | java.io.FileNotFoundException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    spec.commandLine().getOut().println(r.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
