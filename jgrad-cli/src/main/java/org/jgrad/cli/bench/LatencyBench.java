package org.jgrad.cli.bench;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Inference;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.Models;

/**
 * The {@code latency} workload of bench/pytorch_reference.py: ResNet-18 (10 classes) in eval mode on
 * ONE 3×32×32 image, the median of 50 calls after warm-up. The headline row runs the model prepared
 * for serving ({@link Inference#prepare}: batch norms folded, weights packed, no graph); the plain
 * eval-mode model under {@code NoGrad} is timed beside it, and N request threads serving the prepared
 * model at once give its throughput.
 */
final class LatencyBench {
    private LatencyBench() {}

    /** Calls timed, as the reference (which warms up for 10: its kernels are native). */
    static final int RUNS = 50;

    static void resnet18(Map<String, Object> results, BiConsumer<String, String> row, int requestThreads) {
        DefaultGenerator.manualSeed(0);
        Module plain = Models.resnet18(10).eval();
        DefaultGenerator.manualSeed(0);
        Module served = Models.resnet18(10);
        Tensor x = Tensor.randn(new Generator(0), 1, 3, 32, 32);

        long t0 = System.nanoTime(), c0 = BenchCommand.cpuNanos();
        Inference service = Inference.prepare(served, x);
        double prepareMs = (System.nanoTime() - t0) / 1e6, prepareCpuMs = (BenchCommand.cpuNanos() - c0) / 1e6;
        t0 = System.nanoTime();
        service.predict(x);
        double firstMs = (System.nanoTime() - t0) / 1e6;

        Timing prepared = time(() -> service.predict(x));
        Timing eval = time(() -> {
            try (NoGrad g = NoGrad.enter()) {
                return plain.call(x);
            }
        });
        double imagesPerS = throughput(service, x, requestThreads);

        results.put("resnet18_infer_b1_ms", prepared.medianMs);
        results.put("resnet18_infer_b1_cpu_ms", prepared.cpuMs);
        results.put("resnet18_infer_b1_plain_ms", eval.medianMs);
        results.put("resnet18_infer_b1_plain_cpu_ms", eval.cpuMs);
        results.put("resnet18_infer_b1_prepare_ms", prepareMs);
        results.put("resnet18_infer_b1_prepare_cpu_ms", prepareCpuMs);
        results.put("resnet18_infer_b1_first_ms", firstMs);
        results.put("resnet18_infer_b1_threads", requestThreads);
        results.put("resnet18_infer_b1_img_s", imagesPerS);
        row.accept("resnet18 eval b1 3x32x32", String.format(Locale.ROOT,
                "%.2f ms  (CPU %.2f ms; prepared: %d fusions, prepare %.0f ms, first call after it %.1f ms)",
                prepared.medianMs, prepared.cpuMs, service.fusions().size(), prepareMs, firstMs));
        row.accept("  plain eval model, NoGrad", String.format(Locale.ROOT, "%.2f ms  (CPU %.2f ms)", eval.medianMs,
                eval.cpuMs));
        row.accept("  " + requestThreads + " request threads", String.format(Locale.ROOT, "%.0f images/s", imagesPerS));
    }

    /** Median wall time and mean process CPU time of {@link #RUNS} calls after at least 10 calls and 2 s. */
    private record Timing(double medianMs, double cpuMs) {}

    private static Timing time(Supplier<Tensor> call) {
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; i < 10 || System.nanoTime() < warmEnd; i++) call.get();
        double[] ts = new double[RUNS];
        long cpu0 = BenchCommand.cpuNanos();
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            call.get();
            ts[i] = (System.nanoTime() - t0) / 1e6;
        }
        return new Timing(BenchCommand.median(ts), (BenchCommand.cpuNanos() - cpu0) / 1e6 / RUNS);
    }

    /** Images per second with {@code threads} threads each serving one-image requests for about 2 s. */
    private static double throughput(Inference service, Tensor x, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long end = System.nanoTime() + 2_000_000_000L, t0 = System.nanoTime();
            java.util.List<Future<Integer>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++)
                done.add(pool.submit(() -> {
                    int n = 0;
                    while (System.nanoTime() < end) {
                        service.predict(x);
                        n++;
                    }
                    return n;
                }));
            int images = 0;
            for (Future<Integer> f : done) images += f.get();
            return images / ((System.nanoTime() - t0) / 1e9);
        } catch (Exception e) {
            throw new IllegalStateException("latency bench: a request thread failed", e);
        } finally {
            pool.shutdown();
        }
    }
}
