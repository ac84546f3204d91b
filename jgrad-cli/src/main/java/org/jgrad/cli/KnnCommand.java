package org.jgrad.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.jgrad.vision.classic.Metric;
import org.jgrad.vision.tools.KnnTool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jgrad knn}: the lectures' k-nearest-neighbour classifier. */
@Command(
    name = "knn",
    sortOptions = false,
    description = "Classify a dataset's test set by its k nearest training images (L1 or L2 distance) and print the accuracy.")
final class KnnCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "NAME", defaultValue = "digits",
      description = "digits, fashion-mnist or mnist (default: ${DEFAULT-VALUE}).")
  String data;

  @Option(names = "-k", paramLabel = "K", defaultValue = "3", description = "Number of neighbours (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--metric", paramLabel = "l1|l2", defaultValue = "l2", description = "Distance (default: ${DEFAULT-VALUE}).")
  String metric;

  @Option(names = "--max-train", paramLabel = "N", defaultValue = "0",
      description = "Use only the first N training samples (0 = all; default: ${DEFAULT-VALUE}).")
  int maxTrain;

  @Option(names = "--max-test", paramLabel = "N", defaultValue = "0",
      description = "Use only the first N test samples (0 = all; default: ${DEFAULT-VALUE}).")
  int maxTest;

  @Override
  public Integer call() throws IOException {
    OptionChecks.positive(spec, "-k", k);
    if (maxTrain < 0 || maxTest < 0) throw new ParameterException(spec.commandLine(), "--max-train and --max-test must be >= 0");
    Metric m;
    try {
      m = Metric.of(metric);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    KnnTool.Result r;
    try {
      r = KnnTool.run(data, k, m, maxTrain, maxTest);
    } catch (IllegalArgumentException | java.io.FileNotFoundException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    spec.commandLine().getOut().println(r.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
