package org.jgrad.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jgrad.cli.train.TrainedModel;
import org.jgrad.io.SafeTensors;
import org.jgrad.vision.models.MissingModelInfoException;
import org.jgrad.vision.models.ModelInfo;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.ZooModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options {@code eval} and {@code predict} share: the model file, and for a weights file
 * without jgrad's model metadata, the model to build.
 */
final class ModelOptions {

  @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
      description = "A model file: model.safetensors or last.safetensors written by `jgrad train`, or a file saved"
          + " with SavedModel.save (or, with --model, plain weights).")
  Path checkpoint;

  @Option(names = "--model", paramLabel = "NAME",
      description = "For a weights file without jgrad's model metadata (Weights.save, another tool): the zoo model"
          + " it holds (`jgrad models` lists them).")
  String model;

  @Option(names = "--input", paramLabel = "CxHxW",
      description = "With --model: one input's shape, e.g. 1x28x28 (default: the model's own).")
  String input;

  @Option(names = "--classes", paramLabel = "N", description = "With --model: the number of classes (default: the model's own).")
  Integer classes;

  @Option(names = "--class-names", paramLabel = "LIST", split = ",",
      description = "With --model: the class names by label, comma-separated (default: 0, 1, ...).")
  List<String> classNames;

  /** Loads the model file, with usage errors (exit code 2) for a missing file or missing model metadata. */
  TrainedModel load(CommandSpec spec) throws IOException {
    ModelInfo fallback = fallback(spec);
    if (fallback != null && java.nio.file.Files.isRegularFile(checkpoint)
        && ModelInfo.isPresent(SafeTensors.load(checkpoint).metadata()))
      throw new ParameterException(spec.commandLine(), "--model: " + checkpoint + " names its own model; drop --model");
    try {
      return TrainedModel.load(checkpoint, fallback);
    } catch (FileNotFoundException e) {
      throw new ParameterException(spec.commandLine(), "--checkpoint: " + e.getMessage());
    } catch (MissingModelInfoException e) {
      throw new ParameterException(spec.commandLine(), "--checkpoint: " + checkpoint + " has no jgrad model metadata (it"
          + " was saved with Weights.save or by another tool): give the model with --model NAME, and --input CxHxW and"
          + " --classes N where they differ from the model's defaults");
    }
  }

  private ModelInfo fallback(CommandSpec spec) {
    if (model == null) {
      if (input != null || classes != null || classNames != null)
        throw new ParameterException(spec.commandLine(), "--input, --classes and --class-names go with --model");
      return null;
    }
    ZooModel e;
    try {
      e = ModelRegistry.get(model);
    } catch (IllegalArgumentException ex) {
      throw new ParameterException(spec.commandLine(), "--model: " + ex.getMessage());
    }
    int[] shape = input == null ? e.defaultInputShape() : parseShape(spec, input);
    int n = classes != null ? classes : classNames != null ? classNames.size() : e.defaultArgs().getInt(ZooModel.NUM_CLASSES);
    OptionChecks.positive(spec, "--classes", n);
    if (classNames != null && classNames.size() != n)
      throw new ParameterException(spec.commandLine(), "--class-names has " + classNames.size() + " names for " + n + " classes");
    ModelInfo info = ModelInfo.of(e.name(), shape, n);
    return classNames == null ? info : info.withClassNames(classNames);
  }

  static int[] parseShape(CommandSpec spec, String s) {
    try {
      int[] shape = Arrays.stream(s.toLowerCase(Locale.ROOT).split("x")).mapToInt(Integer::parseInt).toArray();
      if ((shape.length == 3 || shape.length == 1) && Arrays.stream(shape).allMatch(d -> d > 0)) return shape;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ParameterException(spec.commandLine(), "--input must look like 3x224x224 (CxHxW) or 64 (features), got '" + s + "'");
  }
}
