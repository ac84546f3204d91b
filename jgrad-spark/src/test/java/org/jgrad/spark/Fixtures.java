package org.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Dataset;
import org.jgrad.data.Sample;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Module;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.Optimizer;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.History;
import org.jgrad.train.Trainer;

/** What the Spark test classes share: data, the single-machine reference run, comparisons. */
final class Fixtures {
    private Fixtures() {}

    static final int IN = 6, HIDDEN = 16, CLASSES = 3;
    static final SyntheticSamples DATA = new SyntheticSamples(11, IN, CLASSES);

    static Map<String, Tensor> initialWeights(long seed) {
        DefaultGenerator.manualSeed(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        new TinyMlp(IN, HIDDEN, CLASSES).stateDict().forEach((k, v) -> w.put(k, v.cloneData()));
        return w;
    }

    static JavaRDD<Sample> rdd(JavaSparkContext jsc, int n, int slices) {
        return jsc.parallelize(SyntheticSamples.indices(n), slices).map(DATA);
    }

    static Dataset dataset(int n) {
        List<Sample> s = DATA.all(n);
        return new Dataset() {
            @Override
            public int size() {
                return s.size();
            }

            @Override
            public Sample get(int i) {
                return s.get(i);
            }
        };
    }

    /** jgrad's single-machine Trainer over the same samples in the same order. */
    static Map<String, Tensor> trainer(Map<String, Tensor> init, OptimizerSpec opt, int n, int batch, int epochs, History[] history) {
        Module m = new TinyMlp(IN, HIDDEN, CLASSES);
        m.loadStateDict(init, true);
        Optimizer o = opt.create(m.parameters());
        Trainer t = Trainer.builder(m, o, new CrossEntropyLoss()).epochs(epochs).build();
        History h = t.fit(DataLoader.builder(dataset(n)).batchSize(batch).shuffle(false).build(), null);
        if (history != null) history[0] = h;
        return m.stateDict();
    }

    static SparkTrainer.Builder spark(Map<String, Tensor> init, OptimizerSpec opt, int workers, int batch, int epochs) {
        return SparkTrainer.builder(ModelSpec.of(TinyMlp.class, IN, HIDDEN, CLASSES), opt, LossSpec.of("cross_entropy"))
                .initialWeights(init).workers(workers).batchSize(batch).epochs(epochs).threadsPerWorker(1)
                .allReduceTimeout(java.time.Duration.ofSeconds(60));
    }

    static void assertBitIdentical(Map<String, Tensor> a, Map<String, Tensor> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
    }

    /** The largest ‖a−b‖/‖b‖ over the tensors. */
    static double maxRelativeDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
        double worst = 0;
        for (String k : b.keySet()) {
            float[] x = a.get(k).toFloatArray(), y = b.get(k).toFloatArray();
            double d = 0, n = 0;
            for (int i = 0; i < y.length; i++) {
                d += (double) (x[i] - y[i]) * (x[i] - y[i]);
                n += (double) y[i] * y[i];
            }
            worst = Math.max(worst, Math.sqrt(d / Math.max(n, 1e-30)));
        }
        return worst;
    }
}
