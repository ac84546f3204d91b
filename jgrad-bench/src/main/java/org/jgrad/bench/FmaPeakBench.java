package org.jgrad.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fp32 FMA ceiling GEMM is judged against: twelve independent accumulators keep both FMA pipes
 * busy through the FMA latency, with no memory traffic in the loop. Read the {@code gflop} row
 * (GFLOP/s); per core by default, for all cores run with {@code -t <cores>}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBench {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int STEPS = 4096;
    private static final double GFLOP_PER_CALL = 2.0 * 12 * STEPS * S.length() / 1e9;

    /** Read from a field so that the JIT cannot fold the loop away. */
    private final float[] seed = {1.0000001f, 0.9999999f, 1e-7f};

    /** 4096 steps × 12 independent vector FMAs. */
    @Benchmark
    public float fma12(Gflops f) {
        FloatVector x = FloatVector.broadcast(S, seed[0]), y = FloatVector.broadcast(S, seed[1]);
        FloatVector c0 = FloatVector.broadcast(S, seed[2]), c1 = c0.add(1f), c2 = c0.add(2f), c3 = c0.add(3f),
                c4 = c0.add(4f), c5 = c0.add(5f), c6 = c0.add(6f), c7 = c0.add(7f), c8 = c0.add(8f),
                c9 = c0.add(9f), c10 = c0.add(10f), c11 = c0.add(11f);
        for (int i = 0; i < STEPS; i++) {
            c0 = c0.fma(x, y); c1 = c1.fma(x, y); c2 = c2.fma(x, y); c3 = c3.fma(x, y);
            c4 = c4.fma(x, y); c5 = c5.fma(x, y); c6 = c6.fma(x, y); c7 = c7.fma(x, y);
            c8 = c8.fma(x, y); c9 = c9.fma(x, y); c10 = c10.fma(x, y); c11 = c11.fma(x, y);
        }
        f.gflop += GFLOP_PER_CALL;
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
