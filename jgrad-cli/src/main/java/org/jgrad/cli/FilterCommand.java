package org.jgrad.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jgrad.vision.tools.FilterTool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgrad filter}: convolve an image with a named kernel, as in the lectures' Examples 2.4 and 2.5. */
@Command(
    name = "filter",
    sortOptions = false,
    description = {"Filter an image with a named kernel (\"same\" zero padding), optionally pool it, write the result "
        + "and print the information loss (MSE, PSNR, SSIM) against the input.",
        "Kernels: mean:N, gaussian:SIGMA[:SIZE], gaussian5x5, sobel, sobel-x, sobel-y, prewitt, laplacian, sharpen, "
        + "emboss, random-uniform:N, random-normal:N:MEAN:STD."})
final class FilterCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--kernel", paramLabel = "SPEC", defaultValue = "gaussian:1.5",
      description = "The kernel (default: ${DEFAULT-VALUE}).")
  String kernel;

  @Option(names = "--stride", paramLabel = "N", defaultValue = "1", description = "Convolution stride (default: ${DEFAULT-VALUE}).")
  int stride;

  @Option(names = "--pool", paramLabel = "max:K|avg:K",
      description = "Pool the filtered image with a KxK window at stride 1 (the lectures' max-pooling example uses max:3).")
  String pool;

  @Option(names = "--gray", description = "Convert the image to grayscale (ITU-R BT.601) first.")
  boolean gray;

  @Parameters(index = "0", paramLabel = "IN", description = "Input image (PNG, JPEG or BMP).")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "Output image; the format follows the extension.")
  Path out;

  @Override
  public Integer call() throws IOException {
    OptionChecks.positive(spec, "--stride", stride);
    if (!Files.isRegularFile(in)) throw new ParameterException(spec.commandLine(), "no such image: " + in);
    FilterTool.Result r;
    try {
      r = FilterTool.run(in, out, kernel, stride, pool, gray);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    spec.commandLine().getOut().println(r.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
