package org.jgrad.bench;

import java.util.concurrent.TimeUnit;
import org.jgrad.autograd.NoGrad;
import org.jgrad.kernels.Parallel;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
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
 * Elementwise ops and a reduction through the public {@link Tensor} API (allocation of the result
 * included, as a training step pays it): same-shape add and multiply, the bias-shaped broadcast add
 * of a [64, 500] activation and a [500] bias, ReLU, sigmoid, exp and a full sum. Throughput is in
 * calls per second; divide {@code size} by the call time for elements per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBench {

    @Param({"32000", "1048576"})
    public int size;

    @Param({"1"})
    public int threads;

    private Tensor a, b, bias, act;

    @Setup(Level.Trial)
    public void setUp() {
        Generator g = new Generator(7);
        a = Tensor.randn(g, size);
        b = Tensor.randn(g, size);
        act = Tensor.randn(g, 64, 500);
        bias = Tensor.randn(g, 500);
        Parallel.setThreads(threads);
    }

    @Benchmark
    public Tensor add() {
        try (NoGrad ignored = NoGrad.enter()) {
            return a.add(b);
        }
    }

    @Benchmark
    public Tensor mul() {
        try (NoGrad ignored = NoGrad.enter()) {
            return a.mul(b);
        }
    }

    @Benchmark
    public Tensor biasAdd() {
        try (NoGrad ignored = NoGrad.enter()) {
            return act.add(bias);
        }
    }

    @Benchmark
    public Tensor relu() {
        try (NoGrad ignored = NoGrad.enter()) {
            return a.relu();
        }
    }

    @Benchmark
    public Tensor sigmoid() {
        try (NoGrad ignored = NoGrad.enter()) {
            return a.sigmoid();
        }
    }

    @Benchmark
    public Tensor exp() {
        try (NoGrad ignored = NoGrad.enter()) {
            return a.exp();
        }
    }

    @Benchmark
    public Tensor sum() {
        try (NoGrad ignored = NoGrad.enter()) {
            return a.sum();
        }
    }
}
