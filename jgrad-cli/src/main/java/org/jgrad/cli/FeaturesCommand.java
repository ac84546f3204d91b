package org.jgrad.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.jgrad.vision.tools.FeaturesTool;
import org.jgrad.vision.tools.ImageData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jgrad features}: hand-made image features with a classic classifier, against LeNet-5 given the same time. */
@Command(
    name = "features",
    sortOptions = false,
    description = {"Extract hand-made features (HoG, colour/intensity histogram, bag of visual words, or raw pixels) from a "
        + "dataset's images, train a classic classifier on them, and print the test accuracy and the time; then train "
        + "LeNet-5 for the same wall time and compare."})
final class FeaturesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--kind", paramLabel = "hog|color|bovw|pixels", defaultValue = "hog",
      description = "Features (default: ${DEFAULT-VALUE}); color is the intensity histogram on grey images.")
  String kind;

  @Option(names = "--data", paramLabel = "NAME", defaultValue = "fashion-mnist",
      description = "digits, fashion-mnist or mnist (default: ${DEFAULT-VALUE}).")
  String data;

  @Option(names = "--classifier", paramLabel = "linear-svm|softmax|knn", defaultValue = "linear-svm",
      description = "Classifier (default: ${DEFAULT-VALUE}).")
  String classifier;

  @Option(names = "--hog-cell", paramLabel = "PX", defaultValue = "4", description = "HoG cell side (default: ${DEFAULT-VALUE}).")
  int hogCell;

  @Option(names = "--hog-block", paramLabel = "CELLS", defaultValue = "2", description = "HoG block side (default: ${DEFAULT-VALUE}).")
  int hogBlock;

  @Option(names = "--bins", paramLabel = "N", defaultValue = "32", description = "Histogram bins (default: ${DEFAULT-VALUE}).")
  int bins;

  @Option(names = "--words", paramLabel = "K", defaultValue = "200", description = "Bag-of-words vocabulary size (default: ${DEFAULT-VALUE}).")
  int words;

  @Option(names = "--patch", paramLabel = "PX", defaultValue = "0",
      description = "Bag-of-words patch side (0 = 8, or 4 for images under 16 pixels; default: ${DEFAULT-VALUE}).")
  int patch;

  @Option(names = "--pyramid", paramLabel = "L", defaultValue = "1",
      description = "Spatial pyramid levels of the bag of words (default: ${DEFAULT-VALUE}).")
  int pyramid;

  @Option(names = "--lambda", paramLabel = "L", defaultValue = "1e-4", description = "L2 regularisation (default: ${DEFAULT-VALUE}).")
  double lambda;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Linear classifier epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.5", description = "Linear classifier learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "-k", paramLabel = "K", defaultValue = "5", description = "k-NN neighbours (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--no-cnn", description = "Skip the LeNet-5 comparison.")
  boolean noCnn;

  @Option(names = "--max-train", paramLabel = "N", defaultValue = "0",
      description = "Use only the first N training images (0 = all; default: ${DEFAULT-VALUE}).")
  int maxTrain;

  @Option(names = "--max-test", paramLabel = "N", defaultValue = "0",
      description = "Use only the first N test images (0 = all; default: ${DEFAULT-VALUE}).")
  int maxTest;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws IOException {
    OptionChecks.positive(spec, "--hog-cell", hogCell);
    OptionChecks.positive(spec, "--hog-block", hogBlock);
    OptionChecks.positive(spec, "--bins", bins);
    OptionChecks.positive(spec, "--words", words);
    OptionChecks.positive(spec, "--epochs", epochs);
    OptionChecks.positive(spec, "-k", k);
    if (patch < 0 || pyramid < 0 || maxTrain < 0 || maxTest < 0)
      throw new ParameterException(spec.commandLine(), "--patch, --pyramid, --max-train and --max-test must be >= 0");
    if (!(lr > 0)) throw new ParameterException(spec.commandLine(), "--lr must be positive, got " + lr);
    if (!(lambda >= 0)) throw new ParameterException(spec.commandLine(), "--lambda must be >= 0, got " + lambda);
    FeaturesTool.Options options;
    ImageData images;
    try {
      options = new FeaturesTool.Options(FeaturesTool.Kind.of(kind), FeaturesTool.Classifier.of(classifier), hogCell,
          hogBlock, bins, words, patch, pyramid, lambda, epochs, lr, k, !noCnn, seed);
      images = ImageData.load(data, maxTrain, maxTest);
    } catch (IllegalArgumentException | java.io.FileNotFoundException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    FeaturesTool.Result r = FeaturesTool.run(images, options);
    spec.commandLine().getOut().println(r.summary());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
