package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The perceptron learning rule on the lectures' logic gates. */
class PerceptronTest {
    private static final Tensor X = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});

    @Test
    void learnsAnd() {
        DefaultGenerator.manualSeed(1);
        Perceptron p = new Perceptron(2);
        List<Integer> errors = p.fit(X, Tensor.of(0, 0, 0, 1), 100, 0.1);
        assertEquals(0, errors.getLast(), errors.toString());
        assertArrayEquals(new float[] {0, 0, 0, 1}, p.call(X).toFloatArray(), 0f);
        assertEquals("Perceptron(\n  (0): Linear(in_features=2, out_features=1, bias=True)\n  (1): Step(threshold=0.0)\n)", p.toString());
    }

    @Test
    void learnsOrAndBothGatesAtOnce() {
        DefaultGenerator.manualSeed(2);
        Perceptron or = new Perceptron(2);
        assertEquals(0, or.fit(X, Tensor.of(0, 1, 1, 1), 100, 0.1).getLast());
        assertArrayEquals(new float[] {0, 1, 1, 1}, or.call(X).toFloatArray(), 0f);
        // two independent units: AND and OR
        Perceptron both = new Perceptron(2, 2);
        Tensor y = Tensor.of(new float[][] {{0, 0}, {0, 1}, {0, 1}, {1, 1}});
        assertEquals(0, both.fit(X, y, 100, 0.1).getLast());
        assertArrayEquals(y.toFloatArray(), both.call(X).toFloatArray(), 0f);
    }

    @Test
    void xorIsNotLearnable() {
        Perceptron p = new Perceptron(2);
        List<Integer> errors = p.fit(X, Tensor.of(0, 1, 1, 0), 50, 0.1);
        assertEquals(50, errors.size());
        assertTrue(errors.getLast() > 0);
        assertThrows(IllegalArgumentException.class, () -> p.fit(Tensor.zeros(4, 3), Tensor.of(0, 1, 1, 0), 1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> p.fit(X, Tensor.of(0, 1, 1), 1, 0.1));
    }
}
