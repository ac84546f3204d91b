package org.jgrad.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A secondary JMH result: each benchmark call adds its floating-point work here, in units of 10⁹
 * operations, and JMH reports the sum per second, i.e. GFLOP/s, as the {@code gflop} row under the
 * primary score (which then counts calls per second).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Gflops {
    /** 10⁹ floating-point operations done in this iteration. */
    public double gflop;

    /** JMH keeps the state across iterations; each one starts its count from zero. */
    @Setup(Level.Iteration)
    public void reset() {
        gflop = 0;
    }
}
