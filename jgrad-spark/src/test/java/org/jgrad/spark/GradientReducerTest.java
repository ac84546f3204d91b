package org.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jgrad.data.Sample;
import org.jgrad.nn.Module;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bucketed all-reduce beside the backward pass, between threads over loopback TCP, without Spark. */
@Timeout(120)
class GradientReducerTest {

    @Test
    void bucketsFollowReverseRegistrationOrderWithASmallFirstOne() {
        // 300,000 floats (1.2 MB) pass the 1 MiB first cap alone; the rest fit one 2 MiB bucket.
        int[][] b = GradientReducer.layout(new int[] {1000, 10, 400_000, 5, 300_000}, 1 << 20, 2 << 20);
        assertArrayEquals(new int[][] {{4}, {3, 2, 1, 0}}, b);
        // A parameter over the cap gets a bucket of its own; its neighbours are not added to it.
        assertArrayEquals(new int[][] {{2}, {1}, {0}}, GradientReducer.layout(new int[] {10, 1_000_000, 10}, 1 << 20, 1 << 20));
        assertArrayEquals(new int[][] {{2, 1, 0}}, GradientReducer.layout(new int[] {1, 2, 3}, 100, 100));
        assertArrayEquals(new int[0][], GradientReducer.layout(new int[0], 100, 100));
    }

    /** What one rank computed: its averaged gradients and how many buckets were on their way before the backward pass reached fc1. */
    private record RankResult(List<float[]> grads, int launchedBeforeFc1Weight, int buckets) {}

    private static Module model(Map<String, Tensor> init) {
        Module m = new TinyMlp(Fixtures.IN, Fixtures.HIDDEN, Fixtures.CLASSES);
        m.loadStateDict(init, true);
        return m;
    }

    /** Mean cross-entropy of the model over samples [from, from + n). */
    private static Tensor loss(Module m, int from, int n) {
        List<Sample> s = Fixtures.DATA.all(from + n).subList(from, from + n);
        Tensor[] xs = new Tensor[n], ys = new Tensor[n];
        for (int i = 0; i < n; i++) {
            xs[i] = s.get(i).input();
            ys[i] = s.get(i).target();
        }
        return F.crossEntropy(m.call(Tensor.stack(0, xs)), Tensor.stack(0, ys));
    }

    @Test
    void twoRanksGetTheSameAveragedGradientsAsComputedByHandWhileBackwardRuns() throws Exception {
        twoRanksByHand(false, false);
    }

    @Test
    void theSameThroughSharedMemoryWithBucketsInTheSlotsAndOneTooBigForThem() throws Exception {
        twoRanksByHand(true, false);
    }

    @Test
    void theSameWithEachBucketSummedOnTheTrainingThreadInItsHook() throws Exception {
        twoRanksByHand(false, true);
        twoRanksByHand(true, true);
    }

    private void twoRanksByHand(boolean sharedMemory, boolean onTrainingThread) throws Exception {
        Map<String, Tensor> init = Fixtures.initialWeights(31);
        // 200-byte buckets split the 163 parameters of the MLP into four buckets.
        List<RingAllReduce> rings = RingAllReduceTest.ring(2, "run", 10_000);
        // 64-float slots: the small buckets are written straight into them, the larger ones go in pieces.
        List<RankTrainer.Comm> comms = sharedMemory ? SharedMemoryAllReduceTest.attach(rings, "reducer", 10_000, 64)
                : List.of(rings.get(0), rings.get(1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<RankResult>> fs = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int rank = r;
                fs.add(pool.submit(() -> {
                    Module m = model(init);
                    try (GradientReducer red = new GradientReducer(m.parameters(), comms.get(rank), rank, 200, onTrainingThread)) {
                        assertEquals(onTrainingThread, red.onTrainingThread());
                        int[] probe = {-1};
                        // Registered after the reducer's: runs when fc1.weight is complete, late in the backward pass.
                        m.namedParameters().get("fc1.weight").registerPostAccumulateGradHook(l -> probe[0] = red.launched());
                        List<float[]> grads = new ArrayList<>();
                        for (int step = 0; step < 2; step++) { // twice: the buffers and arrays are reused
                            for (Tensor p : m.parameters()) p.zeroGrad();
                            red.begin("step " + (step + 1), 8, 1f, 0.5f);
                            loss(m, 16 * step + 8 * rank, 8).backward();
                            red.finish();
                            if (step == 1) for (Tensor p : m.parameters()) grads.add(p.grad().toFloatArray());
                        }
                        return new RankResult(grads, probe[0], red.buckets());
                    }
                }));
            }
            RankResult r0 = fs.get(0).get(60, TimeUnit.SECONDS), r1 = fs.get(1).get(60, TimeUnit.SECONDS);
            assertEquals(4, r0.buckets());
            // fc2's buckets were handed to the background thread before the backward pass had finished fc1.
            assertTrue(r0.launchedBeforeFc1Weight() >= 2 && r1.launchedBeforeFc1Weight() >= 2,
                    r0.launchedBeforeFc1Weight() + ", " + r1.launchedBeforeFc1Weight());
            // By hand: each rank's gradient of the second step, summed and halved in float.
            List<float[]> a = handGrads(init, 16), b = handGrads(init, 24);
            for (int i = 0; i < a.size(); i++) {
                float[] want = new float[a.get(i).length];
                for (int j = 0; j < want.length; j++) want[j] = (a.get(i)[j] + b.get(i)[j]) * 0.5f;
                assertArrayEquals(want, r0.grads().get(i), "parameter " + i + " on rank 0");
                assertArrayEquals(r0.grads().get(i), r1.grads().get(i), "parameter " + i + ": the replicas differ");
            }
        } finally {
            pool.shutdownNow();
            for (RankTrainer.Comm c : comms) if (c instanceof SharedMemoryAllReduce shm) shm.close();
            for (RingAllReduce r : rings) r.close();
        }
    }

    private static List<float[]> handGrads(Map<String, Tensor> init, int from) {
        Module m = model(init);
        loss(m, from, 8).backward();
        List<float[]> out = new ArrayList<>();
        for (Tensor p : m.parameters()) out.add(p.grad().toFloatArray());
        return out;
    }

    @Test
    void aRankWithoutABatchSendsZerosAndAParameterWithoutAGradientKeepsNone() throws Exception {
        Map<String, Tensor> init = Fixtures.initialWeights(32);
        List<RingAllReduce> rings = RingAllReduceTest.ring(2, "run", 10_000);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Tensor>>> fs = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int rank = r;
                fs.add(pool.submit(() -> {
                    Module m = model(init);
                    Tensor extra = Tensor.zeros(3).requiresGrad(true); // a parameter the loss never touches
                    List<Tensor> params = new ArrayList<>(m.parameters());
                    params.add(extra);
                    try (GradientReducer red = new GradientReducer(params, rings.get(rank), rank, 1 << 20)) {
                        // The end of the data: rank 0 has 5 samples, rank 1 none; the weights are 5/5 and 0/5.
                        red.begin("step 9", rank == 0 ? 5 : 0, rank == 0 ? 1f : 0f, 1f);
                        if (rank == 0) loss(m, 0, 5).backward();
                        red.finish();
                    }
                    List<Tensor> grads = new ArrayList<>();
                    for (Tensor p : params) grads.add(p.grad());
                    return grads;
                }));
            }
            List<Tensor> g0 = fs.get(0).get(60, TimeUnit.SECONDS), g1 = fs.get(1).get(60, TimeUnit.SECONDS);
            List<float[]> want = new ArrayList<>();
            Module ref = model(init);
            loss(ref, 0, 5).backward();
            for (Tensor p : ref.parameters()) want.add(p.grad().toFloatArray());
            for (int i = 0; i < want.size(); i++) {
                assertArrayEquals(want.get(i), g0.get(i).toFloatArray(), "rank 0, parameter " + i);
                assertArrayEquals(want.get(i), g1.get(i).toFloatArray(), "rank 1, parameter " + i);
            }
            assertNull(g0.get(want.size()), "the untouched parameter got a gradient on rank 0");
        } finally {
            pool.shutdownNow();
            for (RingAllReduce r : rings) r.close();
        }
    }

    @Test
    void aSilentPeerFailsTheStepOnceWithinTheTimeoutNamingIt() throws Exception {
        aSilentPeerFailsTheStepOnce(false);
    }

    @Test
    void theSameWhenTheTrainingThreadSumsTheBuckets() throws Exception {
        aSilentPeerFailsTheStepOnce(true);
    }

    private void aSilentPeerFailsTheStepOnce(boolean onTrainingThread) throws Exception {
        List<RingAllReduce> rings = RingAllReduceTest.ring(2, "run", 1000);
        try {
            Module m = model(Fixtures.initialWeights(33));
            try (GradientReducer red = new GradientReducer(m.parameters(), rings.get(0), 0, 200, onTrainingThread)) {
                long t0 = System.nanoTime();
                red.begin("step 3", 8, 1f, 0.5f);
                loss(m, 0, 8).backward();
                // Rank 1 never takes part: the first bucket times out, the three after it fail at once.
                TimeoutException e = assertThrows(TimeoutException.class, red::finish);
                double s = (System.nanoTime() - t0) / 1e9;
                assertTrue(s < 3.5, "took " + s + " s: each bucket waited out the timeout");
                assertTrue(e.getMessage().contains("rank 1") && e.getMessage().contains("step 3"), e.getMessage());
            }
        } finally {
            for (RingAllReduce r : rings) r.close();
        }
    }

    @Test
    void aPeerThatDiesFailsTheStepAtOnce() throws Exception {
        List<RingAllReduce> rings = RingAllReduceTest.ring(2, "run", 30_000);
        try {
            Module m = model(Fixtures.initialWeights(34));
            try (GradientReducer red = new GradientReducer(m.parameters(), rings.get(0), 0, 1 << 20)) {
                rings.get(1).close();
                long t0 = System.nanoTime();
                red.begin("step 4", 8, 1f, 0.5f);
                loss(m, 0, 8).backward();
                IOException e = assertThrows(IOException.class, red::finish);
                assertTrue((System.nanoTime() - t0) / 1e9 < 5);
                assertTrue(e.getMessage().contains("rank 1") && e.getMessage().contains("step 4"), e.getMessage());
            }
        } finally {
            rings.get(0).close();
        }
    }

    @Test
    void anInterruptedWaitEndsAndCloseStopsTheTransfer() throws Exception {
        List<RingAllReduce> rings = RingAllReduceTest.ring(2, "run", 60_000);
        try {
            Module m = model(Fixtures.initialWeights(35));
            GradientReducer red = new GradientReducer(m.parameters(), rings.get(0), 0, 1 << 20);
            red.begin("step 5", 8, 1f, 0.5f);
            loss(m, 0, 8).backward(); // the bucket goes to the background thread, which waits for rank 1 (silent)
            Thread.currentThread().interrupt(); // Spark killing the task
            assertThrows(InterruptedIOException.class, red::finish);
            assertTrue(Thread.interrupted(), "finish swallowed the interrupt");
            long t0 = System.nanoTime();
            red.close();
            double s = (System.nanoTime() - t0) / 1e9;
            assertTrue(s < 5, "close took " + s + " s");
        } finally {
            for (RingAllReduce r : rings) r.close();
        }
    }
}
