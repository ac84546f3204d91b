package org.jgrad.onnx;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.InputSize;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.ZooModel;

/**
 * The zoo models the ONNX tests run: every entry of the registry (models added to the zoo later are
 * picked up without a change here), 10 classes, at the smallest input each accepts. By default the
 * models over {@link #DEFAULT_MAX_PARAMETERS} parameters are left out, since their files alone take
 * minutes to write, run and read on a small machine (AlexNet's and the VGGs' classifiers; their ops are
 * those of the smaller models); {@code -Djgrad.onnx.zoo=all} runs every one, at its default input size.
 */
final class ZooCases {
    private ZooCases() {}

    /** The largest model the default run exports, in parameters at 10 classes (ResNet-50 has 23.5 M). */
    static final long DEFAULT_MAX_PARAMETERS = 30_000_000L;

    static boolean all() {
        return "all".equals(System.getProperty("jgrad.onnx.zoo"));
    }

    /** A zoo model ready to export: the module (seeded weights) and one input sample's shape. */
    record Case(String name, Module model, int[] sampleShape) {
        /** A deterministic batch of {@code n} inputs. */
        Tensor batch(int n, long seed) {
            int[] shape = new int[sampleShape.length + 1];
            shape[0] = n;
            System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
            return Tensor.randn(new org.jgrad.tensor.Generator(seed), shape);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<String> names() {
        List<String> r = new ArrayList<>();
        for (ZooModel e : ModelRegistry.all()) {
            if (!all() && e.parameterCount(args(e)) > DEFAULT_MAX_PARAMETERS) continue;
            r.add(e.name());
        }
        return r;
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
        return new Case(name, m, shape);
    }
}
