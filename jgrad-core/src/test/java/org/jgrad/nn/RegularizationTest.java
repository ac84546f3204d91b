package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jgrad.autograd.GradCheck;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class RegularizationTest {
    private final Tensor w1 = Tensor.of(new float[][] {{1, -2}, {0.5f, 3}});
    private final Tensor w2 = Tensor.of(-1.5f, 0.25f);

    @Test
    void penalties() {
        assertEquals(1 + 2 + 0.5 + 3 + 1.5 + 0.25, Regularization.l1(List.of(w1, w2)).item(), 1e-6);
        assertEquals(1 + 4 + 0.25 + 9 + 2.25 + 0.0625, Regularization.l2(List.of(w1, w2)).item(), 1e-6);
        // R = Σ β·W² + |W|
        double beta = 0.3;
        assertEquals(beta * 16.5625 + 8.25, Regularization.elasticNet(List.of(w1, w2), beta).item(), 1e-5);
        assertEquals(0, Regularization.l2(List.of()).item());
    }

    @Test
    void seed003TotalLossIsDataLossPlusLambdaTimesL2() {
        // the cs231n demo's weights: w = [[1, 2], [2, −4], [3, −1]], L2 strength 0.1 → regularization loss 3.50
        Tensor w = Tensor.of(new float[][] {{1, 2}, {2, -4}, {3, -1}});
        assertEquals(3.5, Regularization.l2(List.of(w)).mul(0.1f).item(), 1e-6);
    }

    @Test
    void gradients() {
        GradCheck.assertGradients(in -> Regularization.l1(List.of(in[0], in[1])), w1, w2);
        GradCheck.assertGradients(in -> Regularization.l2(List.of(in[0], in[1])), w1, w2);
        GradCheck.assertGradients(in -> Regularization.elasticNet(List.of(in[0], in[1]), 0.7), w1, w2);
    }
}
