package org.jgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jgrad.cli.train.DataSources;
import org.jgrad.cli.train.Evaluation;
import org.jgrad.cli.train.InputFitting;
import org.jgrad.cli.train.LoadedData;
import org.jgrad.cli.train.TrainedModel;
import org.jgrad.train.ConfusionMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jgrad eval}: the test accuracy and confusion matrix of a trained model. */
@Command(
    name = "eval",
    sortOptions = false,
    showDefaultValues = true,
    description = "Evaluate a trained model on a dataset's test set: accuracy and confusion matrix.")
final class EvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  @Option(names = "--data", paramLabel = "NAME|PATH",
      description = "Dataset whose test set to use (default: the one the model was trained on).")
  String data;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of the held-out split for datasets without a test set (default: the training run's).")
  Long seed;

  @Override
  public Integer call() throws IOException {
    TrainedModel tm = modelOptions.load(spec);
    String name = data != null ? data : tm.settings() != null ? tm.settings().data() : tm.info().dataset();
    if (name.isEmpty())
      throw new ParameterException(spec.commandLine(), "--data: " + modelOptions.checkpoint
          + " does not say which dataset the model was trained on; give --data");
    long s = seed != null ? seed : tm.settings() != null ? tm.settings().seed() : 42;
    LoadedData d;
    try {
      d = DataSources.load(name, s);
    } catch (java.io.FileNotFoundException e) {
      throw new ParameterException(spec.commandLine(), "--data " + name + ": " + e.getMessage());
    }
    if (tm.info().isImage() && d.sampleShape().length == 3 && d.sampleShape()[0] == tm.info().inChannels())
      d = InputFitting.fit(d, tm.info().inputShape());
    if (!Arrays.equals(d.sampleShape(), tm.info().inputShape()))
      throw new IllegalArgumentException("the model takes " + tm.info().shapeString() + " inputs but " + name + " has "
          + String.join("x", Arrays.stream(d.sampleShape()).mapToObj(Integer::toString).toList()));
    DataSources.checkLabels(name + " test set", DataSources.labels(d.test()), tm.info().numClasses(),
        "the model in " + modelOptions.checkpoint);
    ConfusionMatrix cm = Evaluation.confusion(tm.model(), tm.info().normalization(), d.test(), tm.info().classNames());
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s on %s: %d test samples (%s)%n%n", tm.info().model(), d.name(), d.test().size(), d.testOrigin());
    out.println(cm);
    out.println();
    out.printf(Locale.ROOT, "test accuracy: %.4f%n", cm.accuracy());
    out.flush();
    return 0;
  }
}
