package org.jgrad.cli.train;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jgrad.data.CsvDataset;
import org.jgrad.data.DataFormatException;
import org.jgrad.data.Dataset;
import org.jgrad.data.Splits;
import org.jgrad.data.Subset;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.datasets.BundledDatasets;
import org.jgrad.vision.datasets.Cifar;
import org.jgrad.vision.datasets.ImageFolder;
import org.jgrad.vision.datasets.MnistDatasets;
import org.jgrad.vision.datasets.MovingMnist;
import org.jgrad.vision.audio.AudioFolder;
import org.jgrad.vision.audio.LogMelFeatures;
import org.jgrad.vision.audio.SpeechDigits;
import org.jgrad.vision.text.CharCorpus;
import org.jgrad.vision.text.TextFolder;
import java.util.Map;
import org.jgrad.vision.models.ModelInfo;

/**
 * Turns a {@code --data} value into a {@link LoadedData}: a built-in name ({@code digits},
 * {@code iris}, {@code fashion-mnist}, {@code mnist}, {@code cifar10}, {@code speech-digits},
 * {@code moving-mnist}) or a path (a CSV file with the label in the last column, a folder of IDX files,
 * a folder of CIFAR-10 batches, a folder of recordings {@code train/<class>/*.wav} and
 * {@code test/<class>/*.wav}, or an image folder with one sub-folder per class). Datasets without an official test set get a stratified
 * 10% held out, drawn with the seed.
 */
public final class DataSources {
  private DataSources() {}

  /** The built-in dataset names. */
  public static final List<String> BUILT_IN = List.of("digits", "iris", "fashion-mnist", "mnist", "cifar10", "speech-digits",
      "moving-mnist");

  /** Characters a language model reads at once (and backpropagates through). */
  public static final int SEQUENCE_LENGTH = 100;

  /** A text classifier's words: the most frequent ones, and the first ones of each document. */
  public static final int MAX_WORDS = 10000, MAX_TOKENS = 200;

  /** Clips in the moving-mnist training and test sets. */
  public static final int MOVING_TRAIN_CLIPS = 8000, MOVING_TEST_CLIPS = 2000;

  /** Fraction held out as the test set when a dataset has none (the lectures' 90/10). */
  public static final double HOLDOUT = 0.1;

  /**
   * Loads {@code spec}.
   *
   * @throws FileNotFoundException when a path or a built-in dataset's files do not exist
   */
  public static LoadedData load(String spec, long seed) throws IOException {
    return switch (spec) {
      case "digits" -> holdOut("digits", BundledDatasets.digits(), ModelInfo.defaultClassNames(10), seed);
      case "iris" -> holdOut("iris", BundledDatasets.iris(), BundledDatasets.IRIS_CLASSES, seed);
      case "fashion-mnist" -> official("fashion-mnist", MnistDatasets.fashionMnist(), MnistDatasets.FASHION_CLASSES);
      case "mnist" -> official("mnist", MnistDatasets.mnist(), ModelInfo.defaultClassNames(10));
      case "cifar10" -> official("cifar10", Cifar.cifar10(), Cifar.CIFAR10_CLASSES);
      case "speech-digits" -> speechDigits();
      case "moving-mnist" -> movingMnist();
      default -> fromPath(Path.of(spec), seed);
    };
  }

  private static LoadedData fromPath(Path p, long seed) throws IOException {
    if (!Files.exists(p))
      throw new FileNotFoundException("no such file or folder: " + p + " (expected one of " + String.join(", ", BUILT_IN)
          + ", a CSV file, or a folder of images, IDX files or CIFAR batches)");
    String name = baseName(p);
    if (Files.isRegularFile(p)) {
      String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
      if (n.endsWith(".txt")) return textCorpus(name, p);
      if (!n.endsWith(".csv") && !n.endsWith(".csv.gz"))
        throw new IllegalArgumentException(p + ": a data file must be a CSV file (.csv or .csv.gz) with the label in"
            + " the last column, or a text file (.txt) for a language model");
      CsvDataset.Result r = CsvDataset.read(p, CsvDataset.Options.defaults());
      TensorDataset d = r.dataset();
      List<String> names = r.classNames().isEmpty() ? ModelInfo.defaultClassNames(numClasses(d)) : r.classNames();
      return holdOut(name, d, names, seed);
    }
    if (Files.isRegularFile(p.resolve("train-images-idx3-ubyte")) || Files.isRegularFile(p.resolve("train-images-idx3-ubyte.gz"))) {
      MnistDatasets.TrainTest tt = MnistDatasets.load(p);
      return official(name, tt, ModelInfo.defaultClassNames(numClasses(tt.train())));
    }
    if (AudioFolder.looksLikeAudioFolder(p)) return audio(name, p, "the folder's test/ recordings");
    if (TextFolder.looksLikeTextFolder(p)) return textFolder(name, p, seed);
    if (Cifar.isCifar10Folder(p)) return official(name, Cifar.loadCifar10(p), Cifar.CIFAR10_CLASSES);
    if (ImageFolder.looksLikeImageFolder(p)) {
      ImageFolder.Result r = ImageFolder.load(p, 0, 0, 0);
      return holdOut(name, r.dataset(), r.classNames(), seed);
    }
    throw new IllegalArgumentException(p + ": not a dataset folder (expected IDX files train-images-idx3-ubyte etc.,"
        + " CIFAR batches data_batch_1.bin etc., or one sub-folder of images per class)");
  }

  /**
   * The synthetic spoken digits ({@link SpeechDigits#standard}), generated with espeak-ng into
   * {@link SpeechDigits#defaultFolder} the first time (a few minutes; files already there are kept).
   */
  private static LoadedData speechDigits() throws IOException {
    Path dir = SpeechDigits.defaultFolder();
    SpeechDigits set = SpeechDigits.standard();
    if (!Files.isRegularFile(dir.resolve("README.txt")) || !Files.readString(dir.resolve("README.txt")).equals(set.describe())) {
      System.err.println("speech-digits: generating " + set.size() + " synthetic clips with espeak-ng into " + dir
          + " (once; later runs read them)");
      set.generate(dir);
    }
    return audio("speech-digits", dir, "held-out voices " + String.join(", ", set.testVoices()));
  }

  private static LoadedData audio(String name, Path dir, String testOrigin) throws IOException {
    LogMelFeatures features = LogMelFeatures.speech();
    AudioFolder.Result r = AudioFolder.load(dir, features);
    return new LoadedData(name, r.train(), r.test(), testOrigin, r.classNames(), features.shape());
  }

  /** Moving-MNIST-style clips of Fashion-MNIST images: the training clips from its training images, the test clips from its test images. */
  private static LoadedData movingMnist() throws IOException {
    MnistDatasets.TrainTest tt = MnistDatasets.fashionMnist();
    MovingMnist.Settings s = MovingMnist.Settings.standard();
    MovingMnist train = MovingMnist.of(tt.train(), MovingMnist::fashionKind, MOVING_TRAIN_CLIPS, s, 1);
    MovingMnist test = MovingMnist.of(tt.test(), MovingMnist::fashionKind, MOVING_TEST_CLIPS, s, 2);
    return new LoadedData("moving-mnist", train, test, "clips of Fashion-MNIST's test images", MovingMnist.fashionClassNames(),
        new int[] {s.frames(), s.side(), s.side()});
  }

  /** Windows of a text file's characters for a language model ({@link #SEQUENCE_LENGTH} in, the same shifted by one out). */
  private static LoadedData textCorpus(String name, Path p) throws IOException {
    CharCorpus corpus = CharCorpus.read(p);
    CharCorpus.Split split = corpus.split(SEQUENCE_LENGTH);
    return new LoadedData(name, split.train(), split.test(), "the last 10% of the text", corpus.vocabulary().symbols(),
        new int[] {SEQUENCE_LENGTH}, LoadedData.Task.NEXT_TOKEN, Map.of());
  }

  /** Documents in class folders: a stratified 10% held out, words from the rest ({@link TextFolder}). */
  private static LoadedData textFolder(String name, Path p, long seed) throws IOException {
    TextFolder.Result r = TextFolder.load(p, MAX_WORDS, MAX_TOKENS, HOLDOUT, seed);
    return new LoadedData(name, r.train(), r.test(), "stratified 10% held out (seed " + seed + ")", r.classNames(),
        new int[] {MAX_TOKENS}, LoadedData.Task.CLASSIFICATION, Map.of("vocab", r.vocabulary().size()));
  }

  private static String baseName(Path p) {
    Path f = p.toAbsolutePath().normalize().getFileName();
    String n = f == null ? "data" : f.toString();
    return n.replaceAll("(?i)\\.(csv(\\.gz)?|txt)$", "").replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static int numClasses(TensorDataset d) {
    long max = -1;
    for (long v : d.targetTensor().toLongArray()) max = Math.max(max, v);
    return (int) max + 1;
  }

  private static LoadedData official(String name, MnistDatasets.TrainTest tt, List<String> classes) throws IOException {
    checkLabels(name + " training set", labelArray(tt.train()), classes.size(), "the dataset's classes");
    checkLabels(name + " test set", labelArray(tt.test()), classes.size(), "the training labels");
    return new LoadedData(name, tt.train(), tt.test(), "official test set", classes, sampleShape(tt.train()));
  }

  private static LoadedData holdOut(String name, TensorDataset all, List<String> classes, long seed) {
    List<Subset> parts = Splits.stratifiedSplit(all, all.targetTensor(), new Generator(seed),
        1 - HOLDOUT, HOLDOUT);
    return new LoadedData(name, parts.get(0), parts.get(1), "stratified 10% held out (seed " + seed + ")", classes,
        sampleShape(all));
  }

  private static int[] sampleShape(TensorDataset d) {
    int[] s = d.inputTensor().shape();
    return java.util.Arrays.copyOfRange(s, 1, s.length);
  }

  /**
   * Labels must be class indices {@code 0..classes-1}: checked when data are loaded, so that a test
   * set with a label the model cannot output fails now, not with a loss error after training.
   *
   * @param labels int64 labels [N]
   * @throws DataFormatException naming the part of the dataset, the sample and the label
   */
  public static void checkLabels(String what, Tensor labels, int classes, String against) throws DataFormatException {
    checkLabels(what, labels.toLongArray(), classes, against);
  }

  private static void checkLabels(String what, long[] labels, int classes, String against) throws DataFormatException {
    for (int i = 0; i < labels.length; i++)
      if (labels[i] < 0 || labels[i] >= classes)
        throw new DataFormatException(what + ": label " + labels[i] + " of sample " + i + " is not one of the " + classes
            + " classes of " + against + " (0.." + (classes - 1) + ")");
  }

  /** The int64 labels [N] of {@code d}'s samples (for stratified validation splits). */
  public static Tensor labels(Dataset d) {
    long[] l = labelArray(d);
    return TensorData.wrapLongs(l, l.length);
  }

  private static long[] labelArray(Dataset d) {
    if (d instanceof TensorDataset t) return t.targetTensor().toLongArray();
    if (d instanceof Subset s) {
      long[] base = labelArray(s.dataset());
      int[] idx = s.indices();
      long[] out = new long[idx.length];
      for (int i = 0; i < idx.length; i++) out[i] = base[idx[i]];
      return out;
    }
    List<Tensor> ts = d.targets();
    long[] out = new long[ts.size()];
    for (int i = 0; i < out.length; i++) out[i] = ts.get(i).getLong();
    return out;
  }
}
