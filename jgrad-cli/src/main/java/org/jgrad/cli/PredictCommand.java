package org.jgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jgrad.autograd.NoGrad;
import org.jgrad.cli.train.InputFiles;
import org.jgrad.cli.train.TrainedModel;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgrad predict}: the most likely classes of images (or CSV rows) under a trained model. */
@Command(
    name = "predict",
    sortOptions = false,
    showDefaultValues = true,
    description = {"Classify images (or CSV rows, for models trained on tabular data) with a trained model.",
        "Images are converted to the model's input: resized, and made gray or RGB as it was trained."})
final class PredictCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
      description = "A model.safetensors or last.safetensors written by `jgrad train`.")
  Path checkpoint;

  @Option(names = "--top", paramLabel = "K", description = "Number of classes to show per input.")
  int top = 3;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Image files (PNG, JPEG, GIF, BMP) or CSV files of feature rows.")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    OptionChecks.positive(spec, "--top", top);
    for (Path f : files)
      if (!java.nio.file.Files.isRegularFile(f)) throw new ParameterException(spec.commandLine(), "no such file: " + f);
    TrainedModel tm;
    try {
      tm = TrainedModel.load(checkpoint);
    } catch (java.io.FileNotFoundException e) {
      throw new ParameterException(spec.commandLine(), "--checkpoint: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    List<String> names = tm.spec().classNames();
    int k = Math.min(top, tm.spec().numClasses());
    int width = names.stream().mapToInt(String::length).max().orElse(1);
    for (Path f : files) {
      for (InputFiles.Input in : InputFiles.read(f, tm.spec())) {
        float[] p;
        try (NoGrad g = NoGrad.enter()) {
          p = F.softmax(tm.model().call(in.tensor().unsqueeze(0)), 1).toFloatArray();
        }
        out.println(in.label());
        int[] best = topK(p, k);
        for (int r = 0; r < k; r++) {
          int c = best[r];
          String name = c < names.size() ? names.get(c) : Integer.toString(c);
          out.printf(Locale.ROOT, "  %d. %-" + width + "s  %.4f%n", r + 1, name, p[c]);
        }
      }
    }
    out.flush();
    return 0;
  }

  private static int[] topK(float[] p, int k) {
    Integer[] idx = new Integer[p.length];
    for (int i = 0; i < idx.length; i++) idx[i] = i;
    java.util.Arrays.sort(idx, (a, b) -> Float.compare(p[b], p[a]));
    int[] out = new int[k];
    for (int i = 0; i < k; i++) out[i] = idx[i];
    return out;
  }
}
