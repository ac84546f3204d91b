package org.jgrad.bench;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The thread pool's hand-off: one {@link Parallel#forRange} split in two chunks of {@code work}
 * {@link Blackhole#consumeCPU} tokens each, called back to back as a training step calls its kernels.
 * With two free cores a call takes one chunk's time plus the hand-off; with a late worker it takes up
 * to both chunks' time (the caller runs the second chunk itself). {@code polling} runs the default pool,
 * whose idle workers poll for the next split (docs/performance.md, "The thread pool");
 * {@code parking} the same pool with {@code -Djgrad.spinMicros=0}, whose workers park at once; and
 * {@code oneThread} both chunks on the calling thread, the time to beat.
 *
 * <pre>java -jar jgrad-bench/target/benchmarks.jar ParallelBench -bm sample -tu us</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ParallelBench {

    /** Blackhole tokens per chunk; {@code oneThread} gives what two chunks take. */
    @Param({"0", "5000", "50000"})
    public long work;

    private Parallel.RangeBody body;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(2);
        long tokens = work;
        body = (from, to) -> {
            for (int i = from; i < to; i++) Blackhole.consumeCPU(tokens);
        };
    }

    @Benchmark
    public void polling() {
        Parallel.forRange(2, 1, body);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Djgrad.spinMicros=0"})
    public void parking() {
        Parallel.forRange(2, 1, body);
    }

    @Benchmark
    public void oneThread() {
        body.run(0, 2);
    }
}
