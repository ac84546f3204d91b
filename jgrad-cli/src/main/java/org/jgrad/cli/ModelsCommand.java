package org.jgrad.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jgrad.vision.models.ModelParam;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.ZooModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgrad models}: the zoo's models, read from the registry, with their inputs and arguments. */
@Command(
    name = "models",
    sortOptions = false,
    description = "List the zoo's models (the names --model and `jgrad summary` take): input, weight layout and description;"
        + " with a name, also its arguments and their defaults.")
final class ModelsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "MODEL", arity = "0..1", description = "Show this model's arguments.")
  String model;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (model != null) {
      ZooModel e;
      try {
        e = ModelRegistry.get(model);
      } catch (IllegalArgumentException ex) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
      }
      out.printf(Locale.ROOT, "%s: %s%n", e.name(), e.description());
      out.printf(Locale.ROOT, "  default input %s (takes %s), %s layout%n", shape(e.defaultInputShape()), e.inputSize(),
          e.layout().name().toLowerCase(Locale.ROOT));
      out.println("  arguments:");
      for (ModelParam p : e.params())
        out.printf(Locale.ROOT, "    %-12s %s (default: %s)%n", p.name(), p.description(), ModelParam.format(p.defaultValue()));
    } else {
      int width = ModelRegistry.names().stream().mapToInt(String::length).max().orElse(4);
      for (ZooModel e : ModelRegistry.all())
        out.printf(Locale.ROOT, "%-" + width + "s  %-9s  %s%n", e.name(), shape(e.defaultInputShape()), e.description());
    }
    out.flush();
    return 0;
  }

  static String shape(int[] s) {
    return Arrays.stream(s).mapToObj(Integer::toString).collect(Collectors.joining("x"));
  }
}
