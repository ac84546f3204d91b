package org.jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jgrad.backend.Backends;
import org.jgrad.cli.train.Confusions;
import org.jgrad.cli.train.DataSources;
import org.jgrad.cli.train.InputFitting;
import org.jgrad.cli.train.LoadedData;
import org.jgrad.cli.train.OptimizerFactory;
import org.jgrad.cli.train.Schedules;
import org.jgrad.cli.train.RunFolders;
import org.jgrad.cli.train.Augmentations;
import org.jgrad.cli.train.TrainSettings;
import org.jgrad.data.BatchTransform;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Dataset;
import org.jgrad.data.Splits;
import org.jgrad.data.Subset;
import org.jgrad.monitor.charts.ConfusionHeatMap;
import org.jgrad.monitor.charts.MetricsTable;
import org.jgrad.monitor.charts.TrainingCharts;
import org.jgrad.monitor.tensorboard.TensorBoardLogger;
import org.jgrad.io.SafeTensors;
import org.jgrad.nn.Module;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.ConfusionMatrix;
import org.jgrad.train.CsvLogger;
import org.jgrad.train.EarlyStopping;
import org.jgrad.train.EvalResult;
import org.jgrad.train.History;
import org.jgrad.train.ModelCheckpoint;
import org.jgrad.train.ProgressBar;
import org.jgrad.train.Trainer;
import org.jgrad.cli.train.LanguageModelReport;
import org.jgrad.vision.models.LanguageModel;
import org.jgrad.vision.models.ModelInfo;
import org.jgrad.vision.models.TextClassifier;
import org.jgrad.vision.models.TransformerClassifier;
import org.jgrad.vision.models.TransformerLanguageModel;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.SavedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jgrad train}: trains a zoo model on a dataset with progress bars, validation, optional
 * early stopping and a checkpoint every epoch, then reports the test accuracy and writes the run's
 * files (metrics, checkpoint, weights, TensorBoard events, charts).
 */
@Command(
    name = "train",
    sortOptions = false,
    showDefaultValues = true,
    description = {
      "Train a model and report its test accuracy.",
      "With no options: an MLP on the bundled 8x8 digits, in well under a minute.",
      // one short line each: picocli would break a file name at its dot where it wraps a line
      "A run's files go to runs/<date>-<time>-<model>-<data>/:",
      "metrics.csv, the checkpoint last.safetensors, the weights model.safetensors,",
      "a TensorBoard event file, loss/accuracy charts and the confusion matrix."
    })
final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", paramLabel = "NAME", description = "A zoo model (`jgrad models` lists them): mlp, lenet5,"
          + " vgg_small_bn (a small VGG-style CNN with batch norm for 28x28 images), resnet18, spectrogram_cnn"
          + " (for speech-digits), two_stream, frame_stream, difference_stream (for moving-mnist), lstm, gru, transformer"
          + " (language models, for a .txt file), lstm_classifier, gru_classifier, transformer_classifier (for a text folder), ..."
          + " Images are resized up to what the model takes (28x28 for lenet5, at least 32x32 or 64x64 for the others).")
  String model = "mlp";

  @Option(names = "--data", paramLabel = "NAME|PATH",
      description = "digits, iris, fashion-mnist, mnist, cifar10, speech-digits (synthetic spoken digits, made with"
          + " espeak-ng), moving-mnist (moving Fashion-MNIST clips), a CSV file (label in the last column),"
          + " or a folder of images (one sub-folder per class), IDX files, CIFAR-10 batches or recordings"
          + " (train/CLASS/*.wav and test/CLASS/*.wav).")
  String data = "digits";

  @Option(names = "--epochs", paramLabel = "N", description = "Total number of epochs (a resumed run continues up to N).")
  int epochs = 20;

  @Option(names = "--batch-size", paramLabel = "N", description = "Samples per optimizer step.")
  int batchSize = 32;

  @Option(names = "--lr", paramLabel = "RATE",
      description = "Learning rate (default: 0.1 for sgd, 0.01 for momentum and adagrad, 0.001 for the others).")
  Double lr;

  @Option(names = "--schedule", paramLabel = "NAME",
      description = "Learning-rate schedule over the run's epochs: none, cosine (cosine annealing to 0) or step "
          + "(a tenth of the rate after each third of the epochs).")
  String schedule = "none";

  @Option(names = "--augment", paramLabel = "LIST",
      description = "Training-data augmentation: none, or a comma-separated list of flip (random horizontal flip)"
          + " and crop (random shift by up to 2 pixels with zero padding, 4 for images of 32 pixels and more). Images only.")
  String augment = "none";

  @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, momentum (SGD, momentum 0.9), adagrad, rmsprop, adam or adamw.")
  String optimizer = "adam";

  @Option(names = "--weight-decay", paramLabel = "L2", description = "L2 penalty (decoupled for adamw).")
  double weightDecay = 0;

  @Option(names = "--val-split", paramLabel = "FRACTION",
      description = "Fraction of the training data held out for validation after each epoch (0 for none).")
  double valSplit = 0.1;

  @Option(names = "--patience", paramLabel = "N",
      description = "Stop when the validation loss has not improved for N epochs, keeping the best weights (default: off).")
  Integer patience;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the data split, shuffling and initial weights.")
  long seed = 42;

  @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/<date>-<time>-<model>-<data>).")
  Path out;

  @Option(names = "--resume", paramLabel = "RUN", arity = "0..1", fallbackValue = "",
      description = "Continue a run exactly where its checkpoint left off: a run folder or its last.safetensors"
          + " (alone: the --out folder, else the newest run under runs/). Use --epochs for the new total.")
  String resume;

  @Option(names = "--quiet", description = "No progress output; only the results.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    validate();
    Backends.current().warmUpInBackground(); // compiles the GEMM while the data are read
    Path resumeFrom = resume == null ? null : RunFolders.checkpointToResume(resume, out);
    if (resumeFrom == null && out != null && Files.exists(out.resolve(RunFolders.CHECKPOINT)))
      throw bad("--out " + out + " already holds a run; continue it with --resume, or choose another folder");
    TrainSettings settings = resumeFrom == null ? fromOptions() : fromCheckpoint(resumeFrom);
    Path dir = resumeFrom != null ? resumeFrom.toAbsolutePath().getParent() : out != null ? out
        : RunFolders.newRun(settings.model(), dataName(settings.data()));

    LoadedData raw = loadData(settings);
    LoadedData loaded = InputFitting.fit(raw, inputShape(settings.model(), raw));
    ModelInfo modelInfo = ModelInfo.of(settings.model(), loaded.sampleShape(), loaded.classNames().size())
        .withClassNames(loaded.classNames()).withDataset(loaded.name());
    modelInfo = withDataArgs(modelInfo, loaded);
    boolean languageModel = loaded.task() == LoadedData.Task.NEXT_TOKEN;
    BatchTransform augmentation;
    try {
      augmentation = Augmentations.create(settings.augment(), loaded.sampleShape());
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage()); // a usage error (images-only option on vectors): exit code 2, before any file is written
    }
    Dataset trainSet = loaded.train(), valSet = null;
    if (settings.valSplit() > 0) {
      // a language model's windows have a target per character: nothing to stratify by
      List<Subset> parts = languageModel
          ? Splits.randomSplit(trainSet, new Generator(settings.seed() + 1), 1 - settings.valSplit(), settings.valSplit())
          : Splits.stratifiedSplit(trainSet, DataSources.labels(trainSet),
          new Generator(settings.seed() + 1), 1 - settings.valSplit(), settings.valSplit());
      trainSet = parts.get(0);
      valSet = parts.get(1);
    }
    DefaultGenerator.manualSeed(settings.seed());
    Module net = modelInfo.create();
    if (languageModel != net instanceof LanguageModel)
      throw bad(languageModel ? "--model " + settings.model() + " does not fit " + loaded.name() + ": a text file (.txt) takes a"
          + " language model (lstm, gru or transformer)" : "--model " + settings.model() + " is a language model: its --data is a"
          + " text file (.txt)");
    var opt = OptimizerFactory.create(settings.optimizer(), net.parameters(), settings.lr(), settings.weightDecay());

    Files.createDirectories(dir);
    RunFolders.deleteStaleTemps(dir);
    // A run killed before its first checkpoint left rows for epochs that start again now.
    if (resumeFrom == null) keepMetricsUpTo(dir.resolve("metrics.csv"), 0);
    Map<String, String> metadata = new LinkedHashMap<>(modelInfo.toMetadata());
    metadata.putAll(settings.toMetadata());
    Path metrics = dir.resolve("metrics.csv");
    TensorBoardLogger tensorBoard = new TensorBoardLogger(dir);
    PrintStream progress = JgradCommand.interactive() && !quiet ? System.out : ProgressStream.over(stdout);
    Trainer.Builder tb = Trainer.builder(net, opt, new CrossEntropyLoss()).epochs(epochs);
    // recurrent networks need their gradients clipped (PyTorch's word-language-model example: 0.25);
    // Transformers are clipped more loosely, as GPT-style training does
    if (net instanceof TransformerLanguageModel || net instanceof TransformerClassifier) tb.clipGradNorm(TRANSFORMER_CLIP_NORM);
    else if (net instanceof LanguageModel || net instanceof TextClassifier) tb.clipGradNorm(CLIP_NORM);
    Schedules.attach(tb, opt, settings.schedule());
    if (!quiet) tb.callback(JgradCommand.interactive() ? new ProgressBar(progress) : new ProgressBar(progress, false));
    tb.callback(new CsvLogger(metrics)).callback(tensorBoard);
    EarlyStopping early = patience == null ? null : new EarlyStopping(patience);
    if (early != null) tb.callback(early);
    tb.callback(new ModelCheckpoint(dir, ModelCheckpoint.Keep.LAST, metadata));
    Trainer trainer = tb.build();
    if (resumeFrom != null) {
      trainer.resume(resumeFrom);
      keepMetricsUpTo(metrics, trainer.epochsDone());
    }

    if (!quiet) {
      stdout.printf(Locale.ROOT, "%s %s on %s: %d train, %d validation, %d test samples (test: %s)%n",
          resumeFrom != null ? "resuming " + settings.model() + " at epoch " + trainer.epochsDone() + "," : "training",
          settings.model(), loaded.name(), trainSet.size(), valSet == null ? 0 : valSet.size(), loaded.test().size(),
          loaded.testOrigin());
      stdout.flush();
    }
    DataLoader.Builder trainLoaderBuilder = DataLoader.builder(trainSet).batchSize(settings.batchSize()).shuffle(true)
        .seed(settings.seed());
    if (augmentation != null) trainLoaderBuilder.augment(augmentation);
    DataLoader trainLoader = trainLoaderBuilder.build();
    DataLoader valLoader = valSet == null ? null : evalLoader(valSet);
    History history;
    try {
      history = trainer.fit(trainLoader, valLoader);
    } finally {
      progress.flush();
    }

    SavedModel.save(net, modelInfo, dir.resolve("model.safetensors"), settings.toMetadata());
    EvalResult test = trainer.evaluate(evalLoader(loaded.test()));
    if (languageModel) {
      tensorBoard.scalar("test_loss", test.loss(), trainer.step());
      tensorBoard.close();
      TrainingCharts.write(MetricsTable.read(metrics), dir);
      if (!quiet && history.last() == null) stdout.println("nothing to train: the checkpoint is already at epoch " + trainer.epochsDone());
      LanguageModelReport.print(stdout, (LanguageModel) net, loaded, test.loss(), settings.seed());
      stdout.println("run files: " + display(dir) + "/");
      stdout.flush();
      return 0;
    }
    ConfusionMatrix cm = Confusions.named(test.confusion(), loaded.classNames());
    tensorBoard.scalar("test_accuracy", test.accuracy(), trainer.step());
    tensorBoard.close();
    List<Path> charts = new ArrayList<>(TrainingCharts.write(MetricsTable.read(metrics), dir));
    charts.add(ConfusionHeatMap.write(cm, dir.resolve("confusion_matrix.png")));

    if (!quiet && history.last() == null) stdout.println("nothing to train: the checkpoint is already at epoch " + trainer.epochsDone());
    stdout.println();
    stdout.println(cm);
    stdout.println();
    stdout.printf(Locale.ROOT, "test accuracy: %.4f%n", test.accuracy());
    stdout.println("run files: " + display(dir) + "/");
    stdout.flush();
    return 0;
  }

  private void validate() {
    OptionChecks.positive(spec, "--epochs", epochs);
    OptionChecks.positive(spec, "--batch-size", batchSize);
    if (lr != null && !(lr > 0 && Double.isFinite(lr))) throw bad("--lr must be a positive number, got " + lr);
    if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) throw bad("--weight-decay must be >= 0, got " + weightDecay);
    if (!(valSplit >= 0 && valSplit < 1)) throw bad("--val-split must be in [0, 1), got " + valSplit);
    if (patience != null && patience < 0) throw bad("--patience must be >= 0, got " + patience);
    if (patience != null && valSplit == 0 && resume == null)
      throw bad("--patience needs validation data: use a --val-split above 0");
    try {
      ModelRegistry.get(model);
      OptimizerFactory.validate(optimizer);
      Schedules.validate(schedule);
      Augmentations.validate(augment);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    if (!DataSources.BUILT_IN.contains(data) && !Files.exists(Path.of(data)))
      throw bad("--data: no such dataset, file or folder: " + data + " (built in: " + String.join(", ", DataSources.BUILT_IN) + ")");
    if (Files.isRegularFile(Path.of(data)) && !data.toLowerCase(Locale.ROOT).matches(".*\\.(csv(\\.gz)?|txt)"))
      throw bad("--data " + data + ": a data file must be a CSV file (.csv or .csv.gz) with the label in the last column,"
          + " or a text file (.txt) for a language model");
  }

  /** Gradient-norm limit for recurrent models. */
  static final double CLIP_NORM = 0.25;

  /** Gradient-norm limit for Transformer text models. */
  static final double TRANSFORMER_CLIP_NORM = 1.0;

  /** {@code info} with the model arguments the data decide (a text classifier's vocabulary size). */
  private ModelInfo withDataArgs(ModelInfo info, LoadedData d) {
    if (d.modelArgs().isEmpty()) return info;
    var args = info.args();
    for (var e : d.modelArgs().entrySet()) {
      if (!args.has(e.getKey()))
        throw bad("--model " + info.model() + " does not fit " + d.name() + " (it has no '" + e.getKey() + "' argument);"
            + " a text folder takes lstm_classifier, gru_classifier or transformer_classifier");
      args = args.with(e.getKey(), e.getValue());
    }
    return info.withArgs(args);
  }

  private ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private TrainSettings fromOptions() {
    return new TrainSettings(model, data, optimizer, lr != null ? lr : OptimizerFactory.defaultLr(optimizer),
        weightDecay, batchSize, valSplit, seed, Schedules.encode(schedule, epochs), Augmentations.normalize(augment));
  }

  /** The stored settings, after checking that no option given now contradicts them. */
  private TrainSettings fromCheckpoint(Path file) throws IOException {
    TrainSettings s = TrainSettings.fromMetadata(SafeTensors.load(file).metadata(), file.toString());
    TrainSettings asked = fromOptions();
    var pr = spec.commandLine().getParseResult();
    conflict(pr.hasMatchedOption("--model"), "--model", asked.model(), s.model());
    conflict(pr.hasMatchedOption("--data"), "--data", asked.data(), s.data());
    conflict(pr.hasMatchedOption("--optimizer"), "--optimizer", asked.optimizer(), s.optimizer());
    conflict(pr.hasMatchedOption("--lr"), "--lr", asked.lr(), s.lr());
    conflict(pr.hasMatchedOption("--weight-decay"), "--weight-decay", asked.weightDecay(), s.weightDecay());
    conflict(pr.hasMatchedOption("--batch-size"), "--batch-size", asked.batchSize(), s.batchSize());
    conflict(pr.hasMatchedOption("--val-split"), "--val-split", asked.valSplit(), s.valSplit());
    conflict(pr.hasMatchedOption("--seed"), "--seed", asked.seed(), s.seed());
    conflict(pr.hasMatchedOption("--schedule"), "--schedule", Schedules.kind(asked.schedule()), Schedules.kind(s.schedule()));
    conflict(pr.hasMatchedOption("--augment"), "--augment", asked.augment(), s.augment());
    if (patience != null && s.valSplit() == 0) throw bad("--patience needs validation data, and this run has none");
    return s;
  }

  private void conflict(boolean given, String option, Object asked, Object stored) {
    if (given && !asked.equals(stored))
      throw bad("--resume: the run was trained with " + option + " " + stored + ", not " + asked
          + "; drop " + option + " to continue it, or start a new run");
  }

  private static String dataName(String data) {
    if (DataSources.BUILT_IN.contains(data)) return data;
    Path f = Path.of(data).toAbsolutePath().normalize().getFileName();
    return (f == null ? "data" : f.toString()).replaceAll("(?i)\\.(csv(\\.gz)?|txt)$", "").replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private LoadedData loadData(TrainSettings s) throws IOException {
    try {
      return DataSources.load(s.data(), s.seed());
    } catch (java.io.FileNotFoundException e) {
      throw bad("--data " + s.data() + ": " + e.getMessage());
    }
  }

  private int[] inputShape(String modelName, LoadedData d) {
    try {
      return ModelRegistry.get(modelName).fitInput(d.sampleShape());
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
  }

  private static DataLoader evalLoader(Dataset d) {
    return DataLoader.builder(d).batchSize(256).build();
  }

  /** A crash after logging an epoch but before checkpointing it would otherwise log that epoch twice. */
  private static void keepMetricsUpTo(Path metrics, int epoch) throws IOException {
    if (!Files.exists(metrics)) return;
    List<String> lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
    List<String> kept = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) continue;
      String first = line.substring(0, Math.max(0, line.indexOf(',')));
      if (!first.matches("\\d+") || Integer.parseInt(first) <= epoch) kept.add(line);
    }
    Files.write(metrics, kept, StandardCharsets.UTF_8);
  }

  private static String display(Path dir) {
    Path abs = dir.toAbsolutePath().normalize(), cwd = Path.of("").toAbsolutePath();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }
}
