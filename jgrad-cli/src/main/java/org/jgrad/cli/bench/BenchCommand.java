package org.jgrad.cli.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jgrad.backend.Backends;
import org.jgrad.backend.ThreadPool;
import org.jgrad.autograd.NoGrad;
import org.jgrad.data.Batch;
import org.jgrad.data.DataLoader;
import org.jgrad.data.TensorDataset;
import org.jgrad.monitor.tensorboard.TensorBoardLogger;
import org.jgrad.nn.Module;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.nn.loss.Losses;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.Callback;
import org.jgrad.train.CsvLogger;
import org.jgrad.train.EpochLog;
import org.jgrad.train.History;
import org.jgrad.train.ModelCheckpoint;
import org.jgrad.train.ProgressBar;
import org.jgrad.train.Trainer;
import org.jgrad.vision.datasets.MnistDatasets;
import org.jgrad.vision.models.LeNet5;
import org.jgrad.vision.models.MLP;
import org.jgrad.vision.models.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jgrad bench}: the workloads of {@code bench/pytorch_reference.py}, timed the same
 * way and written under the same JSON keys, so that the two can be compared as ratios.
 *
 * <p>Each workload mirrors the reference's timing rule exactly (what is inside the clock, median of
 * how many runs, how many warm-ups), because on a shared machine only ratios of like measurements
 * mean anything.
 */
@Command(
    name = "bench",
    description = {
      "Benchmark jgrad on the workloads of bench/pytorch_reference.py:",
      "sgemm GFLOP/s, one Fashion-MNIST epoch of the MLP and LeNet-5, a ResNet-18 training step,",
      "inference images/s; the MLP epoch through Trainer.fit with the callbacks jgrad train uses (trainer);",
      "the word-level LSTM language model step (lstm); a Transformer-encoder training step (transformer);",
      "MobileNetV2 and DenseNet-121 training steps (zoo2);",
      "inference of the torchvision-layout zoo models at batch 1 and 32 (zooinfer, only when asked for);",
      "ResNet-18 inference of one 3x32x32 image, prepared for serving and plain (latency);",
      "plus peak RSS and the share of wall time spent in GC.",
      "Each network trains two epochs: the first while the JIT compiles, the second timed as"
          + " the comparable figure (both are printed)."
    })
public final class BenchCommand implements Callable<Integer> {

  static final List<String> PARTS =
      List.of("sgemm", "mlp", "lenet", "resnet18", "infer", "trainer", "lstm", "transformer", "zoo2", "zooinfer",
          "latency");

  @Spec CommandSpec spec;

  @Option(names = "--threads", paramLabel = "N",
      description = "Compute threads (default: the number of cores).")
  Integer threads;

  @Option(names = "--json", paramLabel = "FILE",
      description = "Also write the results as JSON, with the reference script's keys.")
  Path json;

  @Option(names = "--only", paramLabel = "LIST", split = ",",
      description = "Comma-separated subset of: sgemm, mlp, lenet, resnet18, infer, trainer, lstm, transformer, zoo2,"
          + " zooinfer, latency (default: all but zooinfer, which takes minutes).")
  List<String> only;

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64",
      description = "Training batch size of the mlp and lenet epochs (the reference uses 64).")
  int batchSize;

  @Option(names = "--sizes", paramLabel = "LIST", split = ",", defaultValue = "256,512,1024,2048",
      description = "Matrix sizes n of the sgemm rows.")
  List<Integer> sizes;

  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<String[]> rows = new ArrayList<>();
  // GC time inside the timed (warm) training epochs, for the "GC under 5% of an epoch"
  private double timedMillis;
  private long timedGcMillis;
  private PrintWriter out;

  @Override
  public Integer call() throws IOException {
    out = spec.commandLine().getOut();
    Set<String> parts = new LinkedHashSet<>(only == null ? PARTS.stream().filter(p -> !p.equals("zooinfer")).toList() : only);
    for (String p : parts)
      if (!PARTS.contains(p))
        throw new IllegalArgumentException("unknown workload '" + p + "': expected some of " + PARTS);
    if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
    if (threads != null) {
      if (threads < 1) throw new IllegalArgumentException("--threads must be positive, got " + threads);
      ThreadPool.setThreads(threads);
    }
    results.put("threads", ThreadPool.threads());
    results.put("jgrad_kernels", Backends.current().description());
    results.put("java", Runtime.version().toString());
    out.printf(Locale.ROOT, "jgrad, Java %s, threads %d, kernels %s%n",
        Runtime.version(), ThreadPool.threads(), Backends.current().description());
    out.flush();
    long wall0 = System.nanoTime(), gc0 = gcMillis();

    if (parts.contains("sgemm")) sgemm();
    // As `jgrad train` does while it reads its data: a background thread gets the GEMM and convolution
    // kernels compiled, so that the first epoch and step below are what a user of the CLI sees. After
    // the sgemm rows, whose two threads it would otherwise share the cores with.
    Backends.current().warmUpInBackground();
    boolean training = parts.contains("mlp") || parts.contains("lenet") || parts.contains("infer")
        || parts.contains("trainer");
    if (training) {
      MnistDatasets.TrainTest data = fashionMnist();
      if (data != null) {
        if (parts.contains("mlp") || parts.contains("infer"))
          network("mlp", MLP::lecture, data, parts.contains("infer"));
        // right after the mlp row, so that the two are compared from the same minutes
        if (parts.contains("trainer")) trainer(data);
        if (parts.contains("lenet") || parts.contains("infer"))
          network("lenet", () -> LeNet5.mnist(10, 1), data, parts.contains("infer"));
      }
    }
    // Before each workload that builds a model of its own, the previous workload's model, gradients and
    // activations (garbage by then, mostly promoted to the old generation) are collected, outside the
    // clock: PyTorch frees them as they go out of scope, and without this the old generation, which
    // ParallelGC only collects when it is full, grows by each workload's leftovers (docs/performance.md,
    // "Memory").
    if (parts.contains("resnet18")) {
      System.gc();
      resnet18();
    }
    if (parts.contains("lstm")) {
      System.gc();
      sequenceStep("lstm_lm_step_ms", "lstm word LM step 35x20", SequenceBench.lstmLanguageModel());
    }
    if (parts.contains("transformer")) {
      System.gc();
      sequenceStep("transformer_step_ms", "transformer encoder step 32x64", SequenceBench.transformerEncoder());
    }
    if (parts.contains("zoo2")) {
      System.gc();
      ZooBench.zoo2(results, this::row);
    }
    if (parts.contains("zooinfer")) {
      System.gc();
      ZooBench.zooInfer(results, this::row);
    }
    if (parts.contains("latency")) {
      System.gc();
      LatencyBench.resnet18(results, this::row, ThreadPool.threads());
    }

    double wallS = (System.nanoTime() - wall0) / 1e9;
    double gcShare = (gcMillis() - gc0) / 1e3 / wallS;
    long hwmKb = peakRssKb();
    results.put("gc_share_total", gcShare);
    if (timedMillis > 0) {
      results.put("gc_share", timedGcMillis / timedMillis);
      row("GC share of the timed epochs", String.format(Locale.ROOT, "%.1f %%", 100 * timedGcMillis / timedMillis));
    }
    row("GC share of the whole run", String.format(Locale.ROOT, "%.1f %% (incl. loading the data)", 100 * gcShare));
    if (hwmKb >= 0) {
      results.put("peak_rss_mb", hwmKb / 1024.0);
      row("peak RSS (VmHWM)", String.format(Locale.ROOT, "%.0f MiB", hwmKb / 1024.0));
    }
    printTable();
    if (json != null) {
      Files.writeString(json, toJson(results));
      out.println("wrote " + json);
    }
    out.flush();
    return 0;
  }

  private void sgemm() {
    Generator gen = new Generator(0);
    try (NoGrad ignored = NoGrad.enter()) {
      // Unlike the reference's native BLAS, the GEMM is bytecode until C2 compiles it: two
      // warm-up calls at n = 256 would time the interpreter and C1, so run it for 2 s first.
      Tensor wa = Tensor.randn(gen, 256, 256);
      for (long end = System.nanoTime() + 2_000_000_000L; System.nanoTime() < end; ) wa.matmul(wa);
      for (int n : sizes) {
        Tensor a = Tensor.randn(gen, n, n), b = Tensor.randn(gen, n, n);
        // Each size takes paths the 256² warm-up does not (more strips, a larger shared panel), which
        // C2 compiles during their first calls: the first 512² timed after 2 calls read 100-165 GFLOP/s
        // and 240-290 once warm. Warm each size for 0.3 s (at least 2 calls) as JMH warms each benchmark.
        long warm = System.nanoTime() + 300_000_000L;
        for (int i = 0; i < 2 || System.nanoTime() < warm; i++) a.matmul(b);
        double[] ts = new double[7];
        for (int i = 0; i < ts.length; i++) {
          long t0 = System.nanoTime();
          a.matmul(b);
          ts[i] = (System.nanoTime() - t0) / 1e9;
        }
        double gflops = 2.0 * n * n * n / median(ts) / 1e9;
        results.put("sgemm_" + n + "_gflops", gflops);
        row("sgemm n=" + n, String.format(Locale.ROOT, "%.1f GFLOP/s", gflops));
      }
    }
  }

  private MnistDatasets.TrainTest fashionMnist() {
    try {
      return MnistDatasets.fashionMnist();
    } catch (IOException e) {
      String msg = "Fashion-MNIST missing, skipping mlp, lenet and infer: " + e.getMessage();
      out.println(msg);
      out.flush();
      results.put("fashion_mnist", "missing");
      row("mlp / lenet / infer", "skipped: Fashion-MNIST not found");
      return null;
    }
  }

  /**
   * Two shuffled SGD epochs at lr 0.1: the first ({@code *_first_epoch_s}) runs while the JIT is still
   * compiling the training path, the second ({@code *_epoch_s}) on compiled code. The reference's
   * single epoch runs native code that needs no warm-up, so the warm epoch is the like-for-like
   * figure; both are reported. Test accuracy is taken after the first epoch, as in the reference.
   */
  private void network(String name, Supplier<Module> make, MnistDatasets.TrainTest data, boolean infer) {
    DefaultGenerator.manualSeed(0);
    Module model = make.get();
    model.train();
    SGD opt = new SGD(model.parameters(), 0.1);
    String suffix = batchSize == 64 ? "" : "_b" + batchSize;
    // The data set (220 MB of floats) was just read: promote it now, outside the clock, rather than
    // in the first young collection of the timed epoch (JMH collects between iterations likewise).
    System.gc();
    long firstCpu0 = cpuNanos();
    double first = epoch(model, opt, data.train(), 0);
    // Process CPU, JIT compiler threads included: on a loaded machine the first epoch's wall time
    // mostly measures how long the compiler threads waited for a core.
    double firstCpu = (cpuNanos() - firstCpu0) / 1e9;
    double acc = accuracy(model, data.test());
    model.train();
    System.gc();
    long gc0 = gcMillis(), cpu0 = cpuNanos();
    long[] takeUps0 = ThreadPool.workerTakeUps();
    double warm = epoch(model, opt, data.train(), 1);
    double cpu = (cpuNanos() - cpu0) / 1e9;
    long[] takeUps1 = ThreadPool.workerTakeUps();
    long polled = takeUps1[0] - takeUps0[0], woken = takeUps1[1] - takeUps0[1];
    double gcShare = (gcMillis() - gc0) / 1e3 / warm;
    timedMillis += warm * 1e3;
    timedGcMillis += (gcMillis() - gc0);
    results.put(name + "_epoch_s" + suffix, warm);
    results.put(name + "_first_epoch_s" + suffix, first);
    results.put(name + "_first_epoch_cpu_s" + suffix, firstCpu);
    results.put(name + "_acc_1epoch" + suffix, acc);
    results.put(name + "_epoch_gc_share" + suffix, gcShare);
    results.put(name + "_epoch_cpu_s" + suffix, cpu);
    // Whether the pool's worker was polling for the warm epoch's splits or parked (the load guard closed):
    // on two cores the MLP's step differs by up to a quarter between the two (docs/performance.md).
    String pool = "";
    if (polled + woken > 0) {
      double share = (double) polled / (polled + woken);
      results.put(name + "_epoch_polled_share" + suffix, share);
      pool = String.format(Locale.ROOT, "; splits taken up polling %.0f %%", 100 * share);
    }
    row(name + " epoch (batch " + batchSize + ")",
        String.format(Locale.ROOT, "%.2f s  (CPU %.2f s; GC %.1f %%; first epoch %.2f s, CPU %.2f s; test acc %.4f%s)",
            warm, cpu, 100 * gcShare, first, firstCpu, acc, pool));
    if (infer) {
      double ips = imagesPerSecond(model, data.test());
      results.put(name + "_infer_img_s", ips);
      row(name + " inference (batch 1000)", String.format(Locale.ROOT, "%.0f images/s", ips));
    }
  }

  /**
   * The mlp row's training (same model, seed, SGD at lr 0.1, batch, shuffled loader, two epochs with the
   * second timed) through {@link Trainer#fit} with the callbacks {@code jgrad train} attaches: a
   * progress line per epoch, metrics.csv, TensorBoard events and a checkpoint every epoch, into a
   * temporary run folder; then one more epoch of the plain loop on the same model, so that the two
   * are compared back to back on compiled code. Their ratio is the price of the Trainer's bookkeeping.
   */
  private void trainer(MnistDatasets.TrainTest data) throws IOException {
    DefaultGenerator.manualSeed(0);
    Module model = MLP.lecture();
    SGD opt = new SGD(model.parameters(), 0.1);
    String suffix = batchSize == 64 ? "" : "_b" + batchSize;
    Path dir = Files.createTempDirectory("jgrad-bench-trainer");
    TensorBoardLogger tensorBoard = new TensorBoardLogger(dir);
    // The progress lines go nowhere: a terminal's speed is not the Trainer's.
    PrintStream progress = new PrintStream(OutputStream.nullOutputStream());
    long[] cpu = new long[2];
    Callback cpuClock = new Callback() {
      @Override
      public void onEpochBegin(Trainer tr, int epoch, int numBatches) {
        if (epoch == 2) cpu[0] = cpuNanos();
      }

      @Override
      public void onEpochEnd(Trainer tr, EpochLog log) {
        if (log.epoch() == 2) cpu[1] = cpuNanos();
      }
    };
    Trainer t = Trainer.builder(model, opt, new CrossEntropyLoss()).epochs(2).callback(cpuClock)
        .callback(new ProgressBar(progress, false)).callback(new CsvLogger(dir.resolve("metrics.csv")))
        .callback(tensorBoard).callback(new ModelCheckpoint(dir, ModelCheckpoint.Keep.LAST, Map.of("model", "mlp"))).build();
    DataLoader loader = DataLoader.builder(data.train()).batchSize(batchSize).shuffle(true).seed(0).build();
    System.gc();
    History h;
    try {
      h = t.fit(loader, null);
    } finally {
      tensorBoard.close();
      deleteTree(dir);
    }
    double first = h.epochs().get(0).seconds(), warm = h.epochs().get(1).seconds();
    double cpuS = (cpu[1] - cpu[0]) / 1e9;
    // The plain loop once more on the same model, now that both paths are compiled: the mlp row's warm
    // epoch came earlier in the JVM's life, with C2 still compiling beside it.
    System.gc();
    long c0 = cpuNanos();
    double plain = epoch(model, opt, data.train(), 2), plainCpu = (cpuNanos() - c0) / 1e9;
    results.put("trainer_epoch_s" + suffix, warm);
    results.put("trainer_epoch_cpu_s" + suffix, cpuS);
    results.put("trainer_first_epoch_s" + suffix, first);
    results.put("trainer_plain_epoch_s" + suffix, plain);
    results.put("trainer_plain_epoch_cpu_s" + suffix, plainCpu);
    results.put("trainer_over_plain" + suffix, warm / plain);
    results.put("trainer_over_plain_cpu" + suffix, cpuS / plainCpu);
    row("trainer epoch (mlp, batch " + batchSize + ")",
        String.format(Locale.ROOT, "%.2f s  (CPU %.2f s; first epoch %.2f s)", warm, cpuS, first));
    row("  plain loop right after it", String.format(Locale.ROOT,
        "%.2f s  (CPU %.2f s): Trainer/plain %.2f× wall, %.2f× CPU", plain, plainCpu, warm / plain, cpuS / plainCpu));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
    }
  }

  /** One shuffled epoch (shuffle seed {@code seed}) in seconds. */
  private double epoch(Module model, SGD opt, TensorDataset train, long seed) {
    DataLoader loader = DataLoader.builder(train).batchSize(batchSize).shuffle(true).seed(seed).build();
    long t0 = System.nanoTime();
    for (Batch b : loader) {
      opt.zeroGrad();
      Losses.crossEntropy(model.forward(b.inputs()), b.targets()).backward();
      opt.step();
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double accuracy(Module model, TensorDataset test) {
    model.eval();
    Tensor x = test.inputTensor(), y = test.targetTensor();
    int n = x.size(0), correct = 0;
    try (NoGrad ignored = NoGrad.enter()) {
      for (int i = 0; i < n; i += 1000) {
        int len = Math.min(1000, n - i);
        long[] pred = model.forward(x.narrow(0, i, len)).argmax(1, false).toLongArray();
        long[] truth = y.narrow(0, i, len).toLongArray();
        for (int j = 0; j < len; j++) if (pred[j] == truth[j]) correct++;
      }
    }
    return (double) correct / n;
  }

  private static double imagesPerSecond(Module model, TensorDataset test) {
    model.eval();
    Tensor x = test.inputTensor();
    int n = x.size(0);
    double[] ts = new double[3];
    try (NoGrad ignored = NoGrad.enter()) {
      for (int r = 0; r < ts.length; r++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i += 1000) model.forward(x.narrow(0, i, Math.min(1000, n - i)));
        ts[r] = (System.nanoTime() - t0) / 1e9;
      }
    }
    return n / median(ts);
  }

  /**
   * The median of five forward+backward steps after a warm-up. The reference warms up for two steps
   * (its kernels are native); the JVM needs C2 to compile the conv and batch-norm paths first, so
   * the warm-up here runs at least five steps and at least three seconds. The first step's time is
   * reported as well.
   */
  private void resnet18() {
    DefaultGenerator.manualSeed(0);
    Module m = Models.resnet18(10);
    m.train();
    Generator gen = new Generator(0);
    Tensor x = Tensor.randn(gen, 32, 3, 32, 32), y = Tensor.randint(gen, 0, 10, 32);
    long firstCpu0 = cpuNanos();
    double first = step(m, x, y);
    double firstCpuMs = (cpuNanos() - firstCpu0) / 1e6;
    long warmEnd = System.nanoTime() + 3_000_000_000L;
    for (int i = 1; i < 5 || System.nanoTime() < warmEnd; i++) step(m, x, y);
    double[] ts = new double[5];
    long cpu0 = cpuNanos();
    for (int i = 0; i < ts.length; i++) ts[i] = step(m, x, y);
    double cpuMs = (cpuNanos() - cpu0) / 1e6 / ts.length;
    double ms = median(ts) * 1e3;
    results.put("resnet18_step_cpu_ms", cpuMs);
    results.put("resnet18_step_ms", ms);
    results.put("resnet18_first_step_ms", first * 1e3);
    results.put("resnet18_first_step_cpu_ms", firstCpuMs);
    row("resnet18 fwd+bwd 32x3x32x32", String.format(Locale.ROOT,
        "%.1f ms  (CPU %.1f ms a step; first step %.0f ms, CPU %.0f ms)", ms, cpuMs, first * 1e3, firstCpuMs));
  }

  private static double step(Module m, Tensor x, Tensor y) {
    // as the reference: gradients accumulate (in place) from step to step, nothing clears them
    long t0 = System.nanoTime();
    Losses.crossEntropy(m.forward(x), y).backward();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** A row and a JSON entry (the median) for one of {@link SequenceBench}'s workloads. */
  private void sequenceStep(String key, String what, SequenceBench.Timing t) {
    results.put(key, t.medianMs());
    results.put(key.replace("_ms", "_cpu_ms"), t.medianCpuMs());
    results.put(key.replace("_ms", "_first_ms"), t.firstMs());
    row(what, SequenceBench.describe(t));
  }

  private void row(String what, String value) {
    rows.add(new String[] {what, value});
    out.printf(Locale.ROOT, "  %-32s %s%n", what, value);
    out.flush();
  }

  private void printTable() {
    out.println();
    out.printf(Locale.ROOT, "%-32s | %s%n", "workload", "jgrad");
    out.println("-".repeat(33) + "+" + "-".repeat(34));
    for (String[] r : rows) out.printf(Locale.ROOT, "%-32s | %s%n", r[0], r[1]);
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /**
   * CPU time of the whole process (every thread, GC and JIT included), or 0 where the JVM does not
   * report it. On a shared machine, wall time measures the other processes as much as jgrad; CPU
   * time, printed next to it, is the steadier figure for A/B comparisons.
   */
  static long cpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? Math.max(0, os.getProcessCpuTime()) : 0;
  }

  private static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      long t = gc.getCollectionTime();
      if (t > 0) sum += t;
    }
    return sum;
  }

  /** VmHWM from /proc/self/status in KiB, or -1 where there is no procfs (not Linux). */
  static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: leave the row out
    }
    return -1;
  }

  static String toJson(Map<String, Object> m) {
    StringBuilder sb = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, Object> e : m.entrySet()) {
      sb.append(" \"").append(e.getKey()).append("\": ");
      Object v = e.getValue();
      if (v instanceof Number num) sb.append(num);
      else sb.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      sb.append(++i < m.size() ? ",\n" : "\n");
    }
    return sb.append("}\n").toString();
  }
}
