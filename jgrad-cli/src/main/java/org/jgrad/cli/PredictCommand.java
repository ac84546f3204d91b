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
import org.jgrad.vision.image.ImageFit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
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
        "Images are decoded exactly, made grey or RGB as the model was trained, and brought to its input size as"
            + " --resize says; what was done to each image is reported on stderr."})
final class PredictCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  @Option(names = "--top", paramLabel = "K", description = "Number of classes to show per input.")
  int top = 3;

  @Option(names = "--resize", paramLabel = "MODE", converter = ResizeMode.class, defaultValue = "center-crop",
      description = "How an image of another size is brought to the model's: center-crop (scale keeping the aspect"
          + " ratio, then cut the centre out), stretch (scale to the exact size, changing the aspect ratio) or refuse"
          + " (an error).")
  ImageFit resize;

  @Parameters(paramLabel = "FILE", arity = "1..*", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
      description = "Image files (PNG, JPEG, GIF, BMP) or CSV files of feature rows.")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    OptionChecks.positive(spec, "--top", top);
    for (Path f : files)
      if (!java.nio.file.Files.isRegularFile(f)) throw new ParameterException(spec.commandLine(), "no such file: " + f);
    TrainedModel tm = modelOptions.load(spec);
    PrintWriter out = spec.commandLine().getOut();
    List<String> names = tm.info().classNames();
    int k = Math.min(top, tm.info().numClasses());
    int width = names.stream().mapToInt(String::length).max().orElse(1);
    for (Path f : files) {
      for (InputFiles.Input in : InputFiles.read(f, tm.info(), resize)) {
        if (!in.note().isEmpty()) {
          spec.commandLine().getErr().println("note: " + in.label() + ": " + in.note());
          spec.commandLine().getErr().flush();
        }
        float[] p;
        try (NoGrad g = NoGrad.enter()) {
          Tensor x = in.tensor().unsqueeze(0);
          if (tm.info().isImage()) x = tm.info().normalization().apply(x);
          p = F.softmax(tm.model().call(x), 1).toFloatArray();
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

  /** Parses {@code --resize}, and shows the default in the option's own spelling. */
  static final class ResizeMode implements picocli.CommandLine.ITypeConverter<ImageFit> {
    @Override
    public ImageFit convert(String value) {
      try {
        return ImageFit.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
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
