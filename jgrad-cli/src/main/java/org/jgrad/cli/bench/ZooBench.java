package org.jgrad.cli.bench;

import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Module;
import org.jgrad.nn.loss.Losses;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.Models;
import org.jgrad.vision.models.ZooModel;

/**
 * The zoo workloads of {@code jgrad bench}, as bench/pytorch_reference.py times them: {@code zoo2}
 * (MobileNetV2 and DenseNet-121 with 10 classes, forward+backward of a 16×3×64×64 batch, gradients
 * zeroed inside the clock as the reference's {@code m.zero_grad()}) and {@code zooinfer} (eval-mode
 * inference of each torchvision-layout zoo model at its default image size, batch 1 and 32).
 */
final class ZooBench {
    private ZooBench() {}

    /** The models of the {@code zooinfer} rows, at their default input size (224, 299 for Inception v3). */
    static final String[] INFER_MODELS = {"mobilenet_v2", "densenet121", "resnext50_32x4d", "googlenet", "inception_v3"};

    /**
     * Median of five steps after a warm-up of at least five steps and three seconds (the reference
     * warms up for two: its kernels need no JIT).
     */
    static void zoo2(Map<String, Object> results, BiConsumer<String, String> row) {
        for (String name : new String[] {"mobilenet_v2", "densenet121"}) {
            DefaultGenerator.manualSeed(0);
            Module m = Models.create(name, 10, 3);
            m.train();
            Generator gen = new Generator(0);
            Tensor x = Tensor.randn(gen, 16, 3, 64, 64), y = Tensor.randint(gen, 0, 10, 16);
            double first = step(m, x, y);
            long warmEnd = System.nanoTime() + 3_000_000_000L;
            for (int i = 1; i < 5 || System.nanoTime() < warmEnd; i++) step(m, x, y);
            double[] ts = new double[5];
            long cpu0 = BenchCommand.cpuNanos();
            for (int i = 0; i < ts.length; i++) ts[i] = step(m, x, y);
            double cpuMs = (BenchCommand.cpuNanos() - cpu0) / 1e6 / ts.length, ms = BenchCommand.median(ts) * 1e3;
            results.put(name + "_step_ms", ms);
            results.put(name + "_step_cpu_ms", cpuMs);
            row.accept(name + " fwd+bwd 16x3x64x64", String.format(Locale.ROOT,
                    "%.1f ms  (CPU %.1f ms a step; first step %.0f ms)", ms, cpuMs, first * 1e3));
        }
    }

    private static double step(Module m, Tensor x, Tensor y) {
        long t0 = System.nanoTime();
        m.zeroGrad();
        Losses.crossEntropy(m.forward(x), y).backward();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Batch 1: median of 10 after at least 3 runs and 2 seconds; batch 32: median of 3 after at least one run and 2 seconds. */
    static void zooInfer(Map<String, Object> results, BiConsumer<String, String> row) {
        for (String name : INFER_MODELS) {
            DefaultGenerator.manualSeed(0);
            ZooModel e = ModelRegistry.get(name);
            Module m = Models.create(name, 1000, 3);
            m.eval();
            int side = e.defaultInputShape()[1];
            for (int batch : new int[] {1, 32}) {
                Tensor x = Tensor.randn(new Generator(0), batch, 3, side, side);
                int warm = batch == 1 ? 3 : 1, runs = batch == 1 ? 10 : 3;
                long warmEnd = System.nanoTime() + 2_000_000_000L;
                for (int i = 0; i < warm || System.nanoTime() < warmEnd; i++) infer(m, x);
                double[] ts = new double[runs];
                for (int i = 0; i < runs; i++) ts[i] = infer(m, x);
                double ms = BenchCommand.median(ts) * 1e3;
                results.put(name + "_infer_b" + batch + "_ms", ms);
                row.accept(name + " eval b" + batch + " " + side + "x" + side, String.format(Locale.ROOT,
                        "%.1f ms  (%.1f images/s)", ms, batch * 1e3 / ms));
            }
        }
    }

    private static double infer(Module m, Tensor x) {
        long t0 = System.nanoTime();
        try (var ng = NoGrad.enter()) {
            m.forward(x);
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
