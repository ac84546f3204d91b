package org.jgrad.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jgrad.cli.examples.Example;
import org.jgrad.cli.examples.SeedExamples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgrad examples}: runs the lectures' worked examples and prints one result line each. */
@Command(
    name = "examples",
    description = "Run the lectures' worked examples and print their results.")
final class ExamplesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--list", description = "List the examples' names instead of running them.")
  boolean list;

  @Parameters(
      paramLabel = "NAME",
      arity = "0..*",
      description = "Run only the examples whose name contains one of these (default: all).")
  List<String> filters = new ArrayList<>();

  @Override
  public Integer call() {
    List<Example> selected = select(SeedExamples.ALL);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int width = selected.stream().mapToInt(e -> e.name().length()).max().orElse(0);
    int failed = 0;
    for (Example example : selected) {
      if (list) {
        out.println(example.name());
        continue;
      }
      String name = String.format(Locale.ROOT, "%-" + width + "s", example.name());
      try {
        out.println(name + "  " + example.run());
      } catch (Exception | AssertionError e) {
        // One broken example must not hide the others' results.
        out.flush();
        err.println(name + "  FAILED: " + e);
        failed++;
      }
    }
    out.flush();
    if (failed > 0) {
      err.println(failed + " of " + selected.size() + " examples failed");
      err.flush();
      return 1;
    }
    return 0;
  }

  private List<Example> select(List<Example> all) {
    if (filters.isEmpty()) {
      return all;
    }
    List<Example> selected = new ArrayList<>();
    for (Example example : all) {
      String name = example.name().toLowerCase(Locale.ROOT);
      if (filters.stream().anyMatch(f -> name.contains(f.toLowerCase(Locale.ROOT)))) {
        selected.add(example);
      }
    }
    if (selected.isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "no example matches " + String.join(", ", filters) + " (see 'jgrad examples --list')");
    }
    return selected;
  }
}
