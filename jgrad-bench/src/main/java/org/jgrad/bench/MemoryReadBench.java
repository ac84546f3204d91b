package org.jgrad.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * How fast one thread streams a float array it owns, from L2-sized to DRAM-sized working sets: the
 * ceiling of every memory-bound kernel (batch norm, elementwise ops, im2col, the optimizer's update,
 * the all-reduce's sums). Run it with {@code -t 1} and then {@code -t 2}: where the {@code gbytes}
 * row (GB/s per thread, summed over threads by JMH) doubles, the cores do not share that level;
 * where it does not, two threads, or two Spark executors on one host, slow each other's
 * memory-bound work whatever the code does. The FMA units, by contrast, scale with the cores
 * ({@link FmaPeakBench} with {@code -t 2}).
 *
 * <p>Each thread sums its own array with four independent vector accumulators (no stores, so the
 * figure is read bandwidth). The array is filled in {@code @Setup}, so page faults are outside the
 * timed calls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class MemoryReadBench {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** The working set per thread in KiB: L2, L3-sized and DRAM-sized. */
    @Param({"256", "4096", "16384", "262144"})
    public int kib;

    private float[] data;

    /** Bytes read, in units of 10⁹, reported per second as the {@code gbytes} row. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class GBytes {
        /** 10⁹ bytes read in this iteration. */
        public double gbytes;

        /** Each iteration starts its count from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            gbytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void fill() {
        data = new float[kib * 256];
        for (int i = 0; i < data.length; i++) data[i] = (i & 7) * 0.125f;
    }

    /** One pass over the thread's array. */
    @Benchmark
    public float read(GBytes g) {
        float[] a = data;
        int step = S.length() * 4, n = a.length - a.length % step;
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        for (int i = 0; i < n; i += step) {
            s0 = s0.add(FloatVector.fromArray(S, a, i));
            s1 = s1.add(FloatVector.fromArray(S, a, i + S.length()));
            s2 = s2.add(FloatVector.fromArray(S, a, i + 2 * S.length()));
            s3 = s3.add(FloatVector.fromArray(S, a, i + 3 * S.length()));
        }
        g.gbytes += 4.0 * n / 1e9;
        return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
    }
}
