package org.jgrad.seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.autograd.NoGrad;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The lectures' worked examples for tensors and autograd, computed through jgrad. */
class SeedFoundationExamplesTest {

    @Test
    void seed001FeedForwardSumAndSigmoid() {
        Tensor x = Tensor.of(5f, 3f, 2f);
        Tensor w = Tensor.of(0.1f, 0.6f, 0.5f);
        Tensor b = Tensor.scalar(0.8f);
        Tensor z = x.matmul(w).add(b);
        assertEquals(4.1f, z.item(), 1e-6f);
        // The seed prints 1/(1+e^4.1) = 0.0163; sigmoid is 1/(1+e^-4.1).
        assertEquals(0.9837f, z.sigmoid().item(), 1e-4f);
    }

    @Test
    void seed002OneNeuronBackpropStep() {
        Tensor w = Tensor.scalar(0.3f).requiresGrad(true);
        Tensor b = Tensor.scalar(0.1f).requiresGrad(true);
        float x = 0.5f, y = 1.5f, lr = 0.1f;
        Tensor yHat = w.mul(x).add(b).sigmoid();
        Tensor loss = yHat.rsub(y).square().mul(0.5f);
        assertEquals(0.56218f, yHat.item(), 1e-5f);
        assertEquals(0.43976f, loss.item(), 1e-5f);
        loss.backward();
        assertEquals(-0.11542f, w.grad().item(), 1e-5f);
        assertEquals(-0.23083f, b.grad().item(), 1e-5f);
        try (NoGrad g = NoGrad.enter()) {
            w.addInPlace(w.grad(), -lr);
            b.addInPlace(b.grad(), -lr);
        }
        assertEquals(0.31154f, w.item(), 1e-5f);
        assertEquals(0.12308f, b.item(), 1e-5f);
    }

    @Test
    void seed003ComputationalGraph() {
        Tensor x = Tensor.scalar(-2f).requiresGrad(true);
        Tensor y = Tensor.scalar(5f).requiresGrad(true);
        Tensor z = Tensor.scalar(-4f).requiresGrad(true);
        Tensor f = x.add(y).mul(z);
        assertEquals(-12f, f.item());
        f.backward();
        assertEquals(-4f, x.grad().item());
        assertEquals(-4f, y.grad().item());
        assertEquals(3f, z.grad().item());
    }

    @Test
    void seed003ThreeLayerForwardPass() {
        Generator gen = new Generator(0);
        Tensor w1 = Tensor.randn(gen, 4, 3), b1 = Tensor.randn(gen, 4, 1);
        Tensor w2 = Tensor.randn(gen, 4, 4), b2 = Tensor.randn(gen, 4, 1);
        Tensor w3 = Tensor.randn(gen, 1, 4), b3 = Tensor.randn(gen, 1, 1);
        Tensor x = Tensor.randn(gen, 3, 1);
        Tensor h1 = w1.matmul(x).add(b1).sigmoid();
        Tensor h2 = w2.matmul(h1).add(b2).sigmoid();
        Tensor out = w3.matmul(h2).add(b3);
        assertEquals(4, h1.size(0));
        assertEquals(1, out.numel());
        // recompute by hand in double precision
        double[] hh1 = new double[4], hh2 = new double[4];
        for (int i = 0; i < 4; i++) {
            double s = b1.get(i, 0);
            for (int j = 0; j < 3; j++) s += w1.get(i, j) * x.get(j, 0);
            hh1[i] = 1 / (1 + Math.exp(-s));
        }
        for (int i = 0; i < 4; i++) {
            double s = b2.get(i, 0);
            for (int j = 0; j < 4; j++) s += w2.get(i, j) * hh1[j];
            hh2[i] = 1 / (1 + Math.exp(-s));
        }
        double o = b3.get(0, 0);
        for (int j = 0; j < 4; j++) o += w3.get(0, j) * hh2[j];
        assertEquals(o, out.item(), 1e-5);
    }

    @Test
    void seed003AndPerceptronTruthTable() {
        Tensor inputs = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor weights = Tensor.of(0.5f, 0.5f);
        // the seed's unit step fires above 0.5
        Tensor out = inputs.matmul(weights).gt(0.5f);
        assertEquals("tensor([0., 0., 0., 1.])", out.toString());
    }

    @Test
    void badInputNamesOpAndShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(64, 784).matmul(Tensor.zeros(500, 784)));
        assertEquals("matmul: inner dimensions differ: [64, 784] @ [500, 784]", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertTrue(e2.getMessage().contains("add") && e2.getMessage().contains("[2, 3]") && e2.getMessage().contains("[4]"), e2.getMessage());
        Tensor v = Tensor.ones(3).requiresGrad(true);
        var e3 = assertThrows(IllegalArgumentException.class, () -> v.mul(2f).backward());
        assertTrue(e3.getMessage().contains("backward") && e3.getMessage().contains("[3]"), e3.getMessage());
        var e4 = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).get(1, 3));
        assertTrue(e4.getMessage().contains("get") && e4.getMessage().contains("[2, 3]"), e4.getMessage());
    }
}
