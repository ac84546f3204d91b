package org.jgrad.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jgrad.cli.train.ModelFactory;
import org.jgrad.cli.train.ModelSpec;
import org.jgrad.nn.Module;
import org.jgrad.nn.Summary;
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

  @Parameters(paramLabel = "MODEL", description = "mlp, lenet5, lenet5_classic, alexnet, vgg11..vgg19(_bn), resnet18..resnet152 or vgg_small_bn.")
  String model;

  @Option(names = "--input", paramLabel = "CxHxW",
      description = "One input's shape (default: 1x28x28 for mlp, lenet5 and vgg_small_bn, 1x32x32 for lenet5_classic, 3x224x224 for the others).")
  String input;

  @Option(names = "--classes", paramLabel = "N",
      description = "Number of output classes (default: 10 for mlp and the LeNets, 1000 for the ImageNet models).")
  Integer classes;

  @Override
  public Integer call() {
    try {
      ModelFactory.validate(model);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    boolean small = model.equals("mlp") || model.startsWith("lenet5") || model.equals("vgg_small_bn");
    int[] shape = input != null ? parseShape(input) : model.equals("lenet5_classic") ? new int[] {1, 32, 32}
        : small ? new int[] {1, 28, 28} : new int[] {3, 224, 224};
    int n = classes != null ? classes : small ? 10 : 1000;
    OptionChecks.positive(spec, "--classes", n);
    ModelSpec ms = new ModelSpec(model, n, shape.length == 3 ? shape[0] : 1, shape, "-", ModelSpec.defaultNames(n));
    Module m = ModelFactory.create(ms);
    int[] withBatch = new int[shape.length + 1];
    withBatch[0] = 1;
    System.arraycopy(shape, 0, withBatch, 1, shape.length);
    PrintWriter out = spec.commandLine().getOut();
    out.println(Summary.of(m, withBatch));
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
