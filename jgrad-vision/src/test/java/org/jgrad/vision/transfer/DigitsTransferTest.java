package org.jgrad.vision.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.data.TensorDataset;
import org.jgrad.nn.AdaptiveAvgPool2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.datasets.BundledDatasets;
import org.jgrad.vision.models.Models;
import org.junit.jupiter.api.Test;

/**
 * Transfer learning end to end on the bundled 8×8 digits: a small CNN learns digits 0–4, then its
 * frozen features with a new head learn digits 5–9 from ten examples per class, and beat the same
 * head trained on the frozen features of an untrained network.
 */
class DigitsTransferTest {

    /**
     * Conv features pooled globally, as in ResNet: what a channel detects matters, not where, so the
     * features are only as good as the learned filters (with flattened 2×2 maps instead, random
     * filters already give a linear head 85% here and there is little left to transfer).
     */
    static Sequential smallCnn(int numClasses) {
        return Sequential.builder()
                .add("features", new Sequential(new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                        new Conv2d(32, 64, 3, 1, 1), new ReLU(), new AdaptiveAvgPool2d(1)))
                .add("classifier", new Sequential(new Flatten(), new Linear(64, numClasses)))
                .build();
    }

    static Tensor crossEntropy(Tensor logits, Tensor labels) {
        return F.logSoftmax(logits, 1).gather(1, labels.reshape(-1, 1)).mean().neg();
    }

    /** Plain SGD on the parameters that require grad, as the optimizers package is not merged here. */
    static void sgdStep(Module model, float lr) {
        try (NoGrad g = NoGrad.enter()) {
            for (Tensor p : Transfer.trainableParameters(model))
                if (p.grad() != null) p.addInPlace(p.grad(), -lr);
        }
        model.zeroGrad();
    }

    static void fit(Module model, Tensor x, Tensor y, int epochs, int batch, float lr, long seed) {
        Generator gen = new Generator(seed);
        int n = x.size(0);
        for (int e = 0; e < epochs; e++) {
            long[] perm = Tensor.randperm(gen, n).toLongArray();
            for (int s = 0; s < n; s += batch) {
                long[] idx = java.util.Arrays.copyOfRange(perm, s, Math.min(n, s + batch));
                Tensor bi = Tensor.ofLongs(idx);
                crossEntropy(model.call(x.indexSelect(0, bi)), y.indexSelect(0, bi)).backward();
                sgdStep(model, lr);
            }
        }
    }

    static double accuracy(Module model, Tensor x, Tensor y) {
        try (NoGrad g = NoGrad.enter()) {
            long[] pred = model.call(x).argmax(1, false).toLongArray(), t = y.toLongArray();
            int ok = 0;
            for (int i = 0; i < t.length; i++) if (pred[i] == t[i]) ok++;
            return (double) ok / t.length;
        }
    }

    /** Rows whose label is in [lo, hi), relabelled from 0; the first {@code perClass} of each class or all. */
    static Tensor[] select(Tensor x, Tensor y, int lo, int hi, int perClass, boolean take) {
        long[] labels = y.toLongArray();
        int[] seen = new int[10];
        List<Long> idx = new ArrayList<>();
        List<Long> lab = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            int c = (int) labels[i];
            if (c < lo || c >= hi) continue;
            boolean first = seen[c]++ < perClass;
            if (first == take) {
                idx.add((long) i);
                lab.add(labels[i] - lo);
            }
        }
        Tensor bi = Tensor.ofLongs(idx.stream().mapToLong(Long::longValue).toArray());
        return new Tensor[] {x.indexSelect(0, bi), Tensor.ofLongs(lab.stream().mapToLong(Long::longValue).toArray())};
    }

    @Test
    void pretrainedFrozenFeaturesBeatRandomFeaturesOnNewDigits() {
        TensorDataset d = BundledDatasets.digits();
        Tensor x = d.inputTensor(), y = d.targetTensor();
        Tensor[] pre = select(x, y, 0, 5, Integer.MAX_VALUE, true);
        Tensor[] few = select(x, y, 5, 10, 10, true);   // 10 examples of each of 5..9
        Tensor[] test = select(x, y, 5, 10, 10, false); // the other ~850

        DefaultGenerator.manualSeed(7);
        Sequential pretrained = smallCnn(5);
        fit(pretrained, pre[0], pre[1], 10, 32, 0.5f, 1);
        double source = accuracy(pretrained, pre[0], pre[1]);
        assertTrue(source > 0.9, "pretraining accuracy on 0-4: " + source);

        DefaultGenerator.manualSeed(8);
        Sequential random = smallCnn(5);
        double[] acc = new double[2];
        int i = 0;
        for (Sequential net : List.of(pretrained, random)) {
            Map<String, Tensor> before = snapshot(net.child("features"));
            Models.replaceHead(net, 5);
            Transfer.freezeBackbone(net, Transfer.BatchNormStats.FREEZE);
            assertEquals(2, Transfer.trainableParameters(net).size()); // the new head only
            fit(net, few[0], few[1], 100, 10, 0.5f, 2);
            acc[i++] = accuracy(net, test[0], test[1]);
            // the frozen backbone got no gradient and did not move
            for (Map.Entry<String, Tensor> e : net.child("features").namedParameters().entrySet()) {
                assertNull(e.getValue().grad(), e.getKey());
                assertArrayEquals(before.get(e.getKey()).toFloatArray(), e.getValue().toFloatArray(), 0f, e.getKey());
            }
        }
        assertTrue(acc[0] > acc[1] + 0.05, "pretrained features " + acc[0] + " vs random features " + acc[1]);
        assertTrue(acc[0] > 0.65, "transfer accuracy on 5-9 from 50 examples: " + acc[0]);
    }

    static Map<String, Tensor> snapshot(Module m) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) out.put(e.getKey(), e.getValue().detach().cloneData());
        return out;
    }
}
