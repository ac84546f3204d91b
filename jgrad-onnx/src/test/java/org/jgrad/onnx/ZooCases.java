package org.jgrad.onnx;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.InputSize;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.ZooModel;

/**
 * The zoo models the ONNX tests run, 10 classes, each at the smallest input it accepts. The registry
 * is read when the tests run, so models added to the zoo later are picked up without a change here.
 * By default one model per family runs (the family is the name without its size: resnet18 stands
 * for resnet34..152, densenet121 for densenet169/201), the smallest, and only up to
 * {@link #DEFAULT_MAX_PARAMETERS} parameters: a large model's file alone takes minutes to write, run
 * and read on a small machine, and its ops are those of its family's smallest member.
 * {@code -Djgrad.onnx.zoo=all} (with {@code -Djgrad.onnx.testHeap=9g}) runs every model at its default input size (AlexNet, the VGGs, the
 * deep ResNets included), {@code -Djgrad.onnx.zoo=name,name} the models named. The text models
 * ({@code lstm}, {@code gru}, {@code transformer} and their {@code _classifier}s) take int64 token ids:
 * their batches are rows of random ids, each padded with id 0 after a random length (so the classifiers
 * run rows of different lengths).
 */
final class ZooCases {
    private ZooCases() {}

    /** The largest model the default run exports, in parameters at 10 classes (ResNet-18 has 11.2 M). */
    static final long DEFAULT_MAX_PARAMETERS = 15_000_000L;

    static boolean all() {
        return "all".equals(System.getProperty("jgrad.onnx.zoo"));
    }

    /** A zoo model ready to export: the module (seeded weights) and one input sample's shape. */
    record Case(String name, Module model, int[] sampleShape, int vocabulary) {
        /** A deterministic batch of {@code n} inputs. */
        Tensor batch(int n, long seed) {
            int[] shape = new int[sampleShape.length + 1];
            shape[0] = n;
            System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
            org.jgrad.tensor.Generator g = new org.jgrad.tensor.Generator(seed);
            if (vocabulary == 0) return Tensor.randn(g, shape);
            int steps = sampleShape[0];
            long[] ids = new long[n * steps];
            for (int b = 0; b < n; b++) {
                int length = 1 + (int) (g.nextDouble() * steps);
                for (int t = 0; t < length; t++) ids[b * steps + t] = 1 + (long) (g.nextDouble() * (vocabulary - 1));
            }
            return Tensor.ofLongs(ids).reshape(shape);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<String> names() {
        String chosen = System.getProperty("jgrad.onnx.zoo", "");
        if (!chosen.isBlank() && !all()) return List.of(chosen.split(","));
        java.util.Map<String, ZooModel> smallest = new java.util.LinkedHashMap<>();
        java.util.Map<String, Long> size = new java.util.HashMap<>();
        for (ZooModel e : ModelRegistry.all()) {
            long n = e.parameterCount(args(e));
            if (all()) {
                smallest.put(e.name(), e);
                continue;
            }
            if (n > DEFAULT_MAX_PARAMETERS) continue;
            String family = e.name().replaceAll("[0-9].*$", "");
            if (!size.containsKey(family) || n < size.get(family)) {
                smallest.put(family, e);
                size.put(family, n);
            }
        }
        List<String> r = new ArrayList<>();
        for (ZooModel e : smallest.values()) r.add(e.name());
        return r;
    }

    /** The vocabulary of a model whose input is token ids ({@code [T]}, int64) feeding an embedding, else 0. */
    private static int vocabulary(Module model, int[] sampleShape) {
        if (sampleShape.length != 1) return 0;
        for (Module m : model.modules()) if (m instanceof org.jgrad.nn.Embedding e) return e.numEmbeddings();
        return 0;
    }

    private static int[] inputShape(ZooModel e) {
        int[] shape = e.defaultInputShape();
        if (!all() && e.inputSize().kind() == InputSize.Kind.AT_LEAST)
            shape = new int[] {shape[0], e.inputSize().side(), e.inputSize().side()};
        return shape;
    }

    private static org.jgrad.vision.models.ModelArgs args(ZooModel e) {
        boolean classes = e.params().stream().anyMatch(p -> p.name().equals(ZooModel.NUM_CLASSES));
        return classes ? e.argsFor(inputShape(e), 10) : e.defaultArgs();
    }

    static Case create(String name) {
        ZooModel e = ModelRegistry.get(name);
        int[] shape = inputShape(e);
        var args = args(e);
        org.jgrad.nn.DefaultGenerator.manualSeed(7);
        Module m = e.create(args);
        // Fresh batch-norm statistics (0 and 1) would hide a mix-up of mean, variance, scale and shift.
        org.jgrad.tensor.Generator g = new org.jgrad.tensor.Generator(11);
        for (var b : m.namedBuffers().entrySet()) {
            Tensor t = b.getValue();
            if (b.getKey().endsWith("running_mean")) t.copyInPlace(Tensor.uniform(g, -0.3f, 0.3f, t.shape()));
            else if (b.getKey().endsWith("running_var")) t.copyInPlace(Tensor.uniform(g, 0.5f, 2f, t.shape()));
        }
        return new Case(name, m, shape, vocabulary(m, shape));
    }
}
