package org.jgrad.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jgrad.nn.Module;
import org.jgrad.nn.Summary;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.ZooModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgrad summary}: a zoo model's layers, output shapes and parameter counts. */
@Command(
    name = "summary",
    sortOptions = false,
    description = "Print a model's layers with their output shapes and parameter counts, and the totals.")
final class SummaryCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "MODEL", description = "A zoo model (`jgrad models` lists them).")
  String model;

  @Option(names = "--input", paramLabel = "CxHxW",
      description = "One input's shape (default: the model's own, shown by `jgrad models`: 1x28x28 for mlp and lenet5,"
          + " 3x224x224 for the ImageNet models).")
  String input;

  @Option(names = "--classes", paramLabel = "N",
      description = "Number of output classes (default: the model's num_classes, 10 for mlp and the LeNets, 1000 for the"
          + " ImageNet models).")
  Integer classes;

  @Override
  public Integer call() {
    ZooModel entry;
    try {
      entry = ModelRegistry.get(model);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    int[] shape = input != null ? parseShape(input) : entry.defaultInputShape();
    int n = classes != null ? classes : entry.defaultArgs().getInt(ZooModel.NUM_CLASSES);
    OptionChecks.positive(spec, "--classes", n);
    Module m = entry.create(entry.argsFor(shape, n));
    int[] withBatch = new int[shape.length + 1];
    withBatch[0] = 1;
    System.arraycopy(shape, 0, withBatch, 1, shape.length);
    PrintWriter out = spec.commandLine().getOut();
    out.println(Summary.of(m, entry.counting(), withBatch));
    out.flush();
    return 0;
  }

  private int[] parseShape(String s) {
    try {
      int[] shape = Arrays.stream(s.toLowerCase(java.util.Locale.ROOT).split("x")).mapToInt(Integer::parseInt).toArray();
      if ((shape.length == 3 || shape.length == 1) && Arrays.stream(shape).allMatch(d -> d > 0)) return shape;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ParameterException(spec.commandLine(), "--input must look like 3x224x224 (CxHxW) or 64 (features), got '" + s + "'");
  }

}
