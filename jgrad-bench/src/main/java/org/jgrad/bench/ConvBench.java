package org.jgrad.bench;

import java.util.concurrent.TimeUnit;
import org.jgrad.autograd.NoGrad;
import org.jgrad.kernels.Parallel;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.ops.ConvOps;
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
 * {@link ConvOps#conv2d} forward, and forward + backward (input, weight and bias gradients), on the
 * layer shapes of the networks the benchmarks train: LeNet-5's two convolutions (batch 64), the small
 * VGG's 3×3 convolutions on Fashion-MNIST (batch 64), and ResNet-18's 3×3 and 1×1 stride-2 layers on
 * a 32×3×32×32 batch. Read the {@code gflop} row (GFLOP/s, counting a backward as twice the forward's
 * multiply-adds); the primary score counts calls per second.
 *
 * <p>{@code layer} is {@code NxCxHxW:OkKsSpP}: the input's shape, then O output channels, a K×K
 * kernel, stride S and padding P (JMH splits parameter values at commas, hence the letters).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBench {

    @Param({"64x1x28x28:6k5s1p2", "64x6x14x14:16k5s1p0", // LeNet-5 conv1, conv2
        "64x1x28x28:32k3s1p1", "64x32x28x28:32k3s1p1", "64x64x14x14:64k3s1p1", // vgg_small_bn
        "32x3x32x32:64k7s2p3", "32x64x8x8:64k3s1p1", "32x128x4x4:128k3s1p1", "32x64x8x8:128k1s2p0"}) // ResNet-18
    public String layer;

    @Param({"forward", "backward"})
    public String pass;

    @Param({"2"})
    public int threads;

    private Tensor x, w, b, gradOut;
    private Conv2dOptions options;
    private double gflopPerCall;

    @Setup(Level.Trial)
    public void setUp() {
        String[] io = layer.split(":");
        String[] d = io[0].split("x"), q = io[1].split("[ksp]");
        int n = Integer.parseInt(d[0]), c = Integer.parseInt(d[1]), h = Integer.parseInt(d[2]), wd = Integer.parseInt(d[3]);
        int o = Integer.parseInt(q[0]), k = Integer.parseInt(q[1]), s = Integer.parseInt(q[2]), p = Integer.parseInt(q[3]);
        Generator g = new Generator(42);
        boolean grad = pass.equals("backward");
        x = Tensor.randn(g, n, c, h, wd).requiresGrad(grad);
        w = Tensor.randn(g, o, c, k, k).mul(0.1f).requiresGrad(grad);
        b = Tensor.randn(g, o).requiresGrad(grad);
        options = Conv2dOptions.defaults().stride(s).padding(p);
        int oh = ConvOps.outputSize(h, k, s, p), ow = ConvOps.outputSize(wd, k, s, p);
        gradOut = Tensor.randn(g, n, o, oh, ow);
        double macs = (double) n * o * oh * ow * c * k * k;
        gflopPerCall = 2 * macs * (grad ? 3 : 1) / 1e9;
        Parallel.setThreads(threads);
    }

    @Benchmark
    public Tensor conv(Gflops f) {
        Tensor y;
        if (pass.equals("forward")) {
            try (NoGrad ignored = NoGrad.enter()) {
                y = ConvOps.conv2d(x, w, b, options);
            }
        } else {
            x.zeroGrad();
            w.zeroGrad();
            b.zeroGrad();
            y = ConvOps.conv2d(x, w, b, options);
            y.backward(gradOut);
        }
        f.gflop += gflopPerCall;
        return y;
    }
}
