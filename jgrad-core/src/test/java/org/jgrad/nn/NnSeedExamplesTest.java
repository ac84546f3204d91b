package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.autograd.NoGrad;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The lectures' examples built from layers rather than raw tensors. */
class NnSeedExamplesTest {

    /** Plain gradient descent, w ← w − α·∂J/∂w (seed 000), without the optim package. */
    private static void sgdStep(Module model, float lr) {
        try (NoGrad g = NoGrad.enter()) {
            for (Tensor p : model.parameters()) if (p.grad() != null) p.addInPlace(p.grad(), -lr);
        }
    }

    @Test
    void seed002OneNeuronWithLinearAndSigmoidLayers() {
        Sequential neuron = new Sequential(new Linear(1, 1), new Sigmoid());
        Linear lin = (Linear) neuron.get(0);
        try (NoGrad g = NoGrad.enter()) {
            lin.weight().fillInPlace(0.3f);
            lin.bias().fillInPlace(0.1f);
        }
        Tensor yHat = neuron.call(Tensor.of(new float[][] {{0.5f}}));
        Tensor loss = yHat.rsub(1.5f).square().mul(0.5f).sum();
        assertEquals(0.56218f, yHat.item(), 1e-5f);
        assertEquals(0.43976f, loss.item(), 1e-5f);
        loss.backward();
        assertEquals(-0.11542f, lin.weight().grad().item(), 1e-5f);
        assertEquals(-0.23083f, lin.bias().grad().item(), 1e-5f);
        sgdStep(neuron, 0.1f);
        assertEquals(0.31154f, lin.weight().item(), 1e-5f);
        assertEquals(0.12308f, lin.bias().item(), 1e-5f);
    }

    @Test
    void seed003PerceptronForAndWithStepLayer() {
        Linear l = new Linear(2, 1, false);
        try (NoGrad g = NoGrad.enter()) {
            l.weight().fillInPlace(0.5f);
        }
        Sequential perceptron = new Sequential(l, new Step(0.5));
        Tensor x = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        assertArrayEquals(new float[] {0, 0, 0, 1}, perceptron.call(x).toFloatArray(), 0f);
    }

    @Test
    void feedforwardLearnsXorByGradientDescent() {
        DefaultGenerator.manualSeed(3);
        Sequential net = Sequential.builder("Feedforward")
                .add("input", new Linear(2, 8)).add("act1", new Tanh())
                .add("output", new Linear(8, 1)).add("sigmoid", new Sigmoid())
                .build();
        Tensor x = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor t = Tensor.of(new float[][] {{0}, {1}, {1}, {0}});
        float first = 0, last = 0;
        for (int step = 0; step < 2000; step++) {
            net.zeroGrad();
            Tensor loss = net.call(x).sub(t).square().mean();
            if (step == 0) first = loss.item();
            last = loss.item();
            loss.backward();
            sgdStep(net, 1.0f);
        }
        assertTrue(last < first / 20, "loss " + first + " -> " + last);
        net.eval();
        float[] y = net.call(x).toFloatArray();
        assertTrue(y[0] < 0.5f && y[1] > 0.5f && y[2] > 0.5f && y[3] < 0.5f, java.util.Arrays.toString(y));
    }

    @Test
    void transferLearningFreezesFeaturesAndTrainsTheHead() {
        DefaultGenerator.manualSeed(4);
        Sequential features = new Sequential(new Linear(4, 6), new ReLU());
        Sequential model = new Sequential(features, new Linear(6, 2));
        features.requiresGrad(false);
        Tensor before = ((Linear) features.get(0)).weight().cloneData();
        Tensor head = ((Linear) model.get(1)).weight().cloneData();
        Tensor x = Tensor.uniform(new Generator(5), -1f, 1f, 8, 4);
        for (int i = 0; i < 3; i++) {
            model.zeroGrad();
            model.call(x).square().mean().backward();
            sgdStep(model, 0.1f);
        }
        assertArrayEquals(before.toFloatArray(), ((Linear) features.get(0)).weight().toFloatArray(), 0f);
        assertTrue(!java.util.Arrays.equals(head.toFloatArray(), ((Linear) model.get(1)).weight().toFloatArray()));
    }
}
