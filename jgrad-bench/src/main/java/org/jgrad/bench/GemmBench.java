package org.jgrad.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jgrad.kernels.Gemm;
import org.jgrad.kernels.Kernels;
import org.jgrad.kernels.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Gemm#sgemm} on square sizes and on the shapes of the Fashion-MNIST MLP (784-500-250-125-10,
 * batch 64) and of LeNet-5's fully connected layers (400-120-84), against the kernel it replaced
 * (conv layers' GEMMs: {@link ConvBench}). Read the {@code gflop} row (GFLOP/s); the primary score
 * counts products per second.
 *
 * <p>{@code shape} is {@code n} (n×n times n×n) or {@code MxKxN} with an optional transpose suffix
 * {@code nn|nt|tn|tt} for op(A), op(B): a Linear layer's forward is {@code nt} (x @ Wᵀ with W stored
 * [out, in]), its input gradient {@code nn}, its weight gradient {@code tn}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {

    @Param({"64", "128", "256", "512", "1024", "2048", "4096", "64x784x500nt", "64x500x250nt", "64x250x125nt",
        "64x125x10nt", "64x500x784nn", "500x64x784tn", "64x400x120nt", "64x120x84nt", "120x64x400tn"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    /** {@code packed}: the current kernel; {@code naive}: the row-axpy kernel it replaced. */
    @Param({"packed", "naive"})
    public String impl;

    private int m, n, k, lda, ldb;
    private boolean ta, tb, naive;
    private float[] a, b, c;
    private double gflopPerCall;

    @Setup(Level.Trial)
    public void setUp() {
        String s = shape, t = "nn";
        if (s.endsWith("n") || s.endsWith("t")) {
            t = s.substring(s.length() - 2);
            s = s.substring(0, s.length() - 2);
        }
        String[] d = s.split("x");
        m = Integer.parseInt(d[0]);
        k = d.length == 3 ? Integer.parseInt(d[1]) : m;
        n = d.length == 3 ? Integer.parseInt(d[2]) : m;
        ta = t.charAt(0) == 't';
        tb = t.charAt(1) == 't';
        lda = ta ? m : k;
        ldb = tb ? k : n;
        SplittableRandom rnd = new SplittableRandom(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextDouble(-1, 1);
        naive = impl.equals("naive");
        gflopPerCall = 2.0 * m * n * k / 1e9;
        Parallel.setThreads(threads);
        if (!naive && !Kernels.implementation().startsWith("vector"))
            throw new IllegalStateException("GemmBench: expected the vector kernels, got " + Kernels.implementation());
    }

    @Benchmark
    public float[] sgemm(Gflops f) {
        if (naive) NaiveGemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        else Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        f.gflop += gflopPerCall;
        return c;
    }
}
