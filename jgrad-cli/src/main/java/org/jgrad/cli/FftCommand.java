package org.jgrad.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jgrad.vision.tools.FftTool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgrad fft}: an image's centred log-magnitude Fourier spectrum (the lectures' Fourier transform). */
@Command(
    name = "fft",
    description = "Write the centred log-magnitude spectrum log(1+|F|) of an image's 2-D Fourier transform "
        + "(grayscale, any size) as an image.")
final class FftCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "Input image (PNG, JPEG or BMP).")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "Spectrum image to write.")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(in)) throw new ParameterException(spec.commandLine(), "no such image: " + in);
    FftTool.Result r = FftTool.run(in, out);
    spec.commandLine().getOut().println(String.format(Locale.ROOT, "%dx%d spectrum written to %s (DC term %.4g)",
        r.height(), r.width(), out, r.dc()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
