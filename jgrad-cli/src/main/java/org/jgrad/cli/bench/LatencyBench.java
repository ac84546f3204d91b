package org.jgrad.cli.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
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
        results.put("resnet18_infer_b1_warm_s", prepared.warmS);
        results.put("resnet18_infer_b1_plain_warm_s", eval.warmS);
        results.put("resnet18_infer_b1_threads", requestThreads);
        results.put("resnet18_infer_b1_img_s", imagesPerS);
        row.accept("resnet18 eval b1 3x32x32", String.format(Locale.ROOT,
                "%.2f ms  (CPU %.2f ms; prepared: %d fusions, prepare %.0f ms, first call after it %.1f ms; warm-up %.1f s)",
                prepared.medianMs, prepared.cpuMs, service.fusions().size(), prepareMs, firstMs, prepared.warmS));
        row.accept("  plain eval model, NoGrad", String.format(Locale.ROOT, "%.2f ms  (CPU %.2f ms; warm-up %.1f s)", eval.medianMs,
                eval.cpuMs, eval.warmS));
        row.accept("  " + requestThreads + " request threads", String.format(Locale.ROOT, "%.0f images/s", imagesPerS));
    }

    /**
     * Median wall time and mean process CPU time of {@link #RUNS} calls, and how long the warm-up before them
     * took: at least 10 calls and 2 s, then on until the JIT has finished no compilation for
     * {@link #JIT_QUIET_NANOS} (at most {@link #MAX_WARM_NANOS} in all). After 2 s alone, C2 was on some runs still
     * compiling the prepared path's methods while the 50 calls were timed (process CPU up to twice the calling
     * thread's, whose own CPU a call rose by a third), so the row measured the JIT more than the model
     * (docs/performance.md, "Inference").
     */
    private record Timing(double medianMs, double cpuMs, double warmS) {}

    /** How long the JIT must have finished no compilation before the timed calls start. */
    static final long JIT_QUIET_NANOS = 500_000_000L;

    /** The warm-up's limit: a JIT that never goes quiet (a busy machine) does not stall the bench. */
    static final long MAX_WARM_NANOS = 10_000_000_000L;

    private static Timing time(Supplier<Tensor> call) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean jitTime = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime(), minEnd = start + 2_000_000_000L, quietSince = start;
        long compiled = jitTime ? jit.getTotalCompilationTime() : 0;
        for (int i = 1; ; i++) {
            call.get();
            long now = System.nanoTime();
            if (jitTime && jit.getTotalCompilationTime() != compiled) {
                compiled = jit.getTotalCompilationTime();
                quietSince = now;
            }
            boolean quiet = !jitTime || now - quietSince >= JIT_QUIET_NANOS;
            if (i >= 10 && now >= minEnd && (quiet || now - start >= MAX_WARM_NANOS)) break;
        }
        double warmS = (System.nanoTime() - start) / 1e9;
        double[] ts = new double[RUNS];
        long cpu0 = BenchCommand.cpuNanos();
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            call.get();
            ts[i] = (System.nanoTime() - t0) / 1e6;
        }
        return new Timing(BenchCommand.median(ts), (BenchCommand.cpuNanos() - cpu0) / 1e6 / RUNS, warmS);
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
