package org.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.nn.loss.MSELoss;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Seed 001: "the formula of the line y = ax + b — is there any way to find a, b without trial and
 * error?", answered with each optimizer the lecture lists (gradient descent, AdaGrad, RMSProp,
 * Adam) minimising its MSE = (1/n)·Σ (Y − Ŷ)²; and its cross-entropy H(p, q) = −Σ p_i log q_i.
 */
class SeedLineFitTest {
    private static void fitsTheLine(Function<List<Tensor>, Optimizer> make, int steps) {
        Tensor x = Tensor.linspace(-1, 1, 21), y = x.mul(2f).add(1f); // a = 2, b = 1
        Tensor a = Tensor.scalar(0f).requiresGrad(true), b = Tensor.scalar(0f).requiresGrad(true);
        Optimizer opt = make.apply(List.of(a, b));
        MSELoss mse = new MSELoss();
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            mse.forward(x.mul(a).add(b), y).backward();
            opt.step();
        }
        assertEquals(2f, a.item(), 0.01f, opt.toString());
        assertEquals(1f, b.item(), 0.01f, opt.toString());
    }

    @Test
    void gradientDescentFindsTheLine() {
        fitsTheLine(ps -> new SGD(ps, 0.3), 200);
    }

    @Test
    void adagradFindsTheLine() {
        fitsTheLine(ps -> new Adagrad(ps, 0.5), 500);
    }

    @Test
    void rmspropFindsTheLine() {
        fitsTheLine(ps -> new RMSprop(ps, 0.01), 1000);
    }

    @Test
    void adamFindsTheLine() {
        fitsTheLine(ps -> new Adam(ps, 0.05), 1000);
    }

    @Test
    void crossEntropyOfTwoDistributions() {
        float[] p = {0.7f, 0.2f, 0.1f}, q = {0.5f, 0.3f, 0.2f};
        double h = 0;
        for (int i = 0; i < 3; i++) h -= p[i] * Math.log(q[i]);
        // softmax(log q) = q, so cross-entropy of the logits log q against the target p is H(p, q)
        Tensor loss = new CrossEntropyLoss().forward(Tensor.of(q).log().unsqueeze(0), Tensor.of(p).unsqueeze(0));
        assertEquals(h, loss.item(), 1e-6);
    }
}
