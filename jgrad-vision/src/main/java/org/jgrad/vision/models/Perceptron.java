package org.jgrad.vision.models;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Step;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Rosenblatt's perceptron: a {@code Linear} layer followed by the {@code Step} (1 where
 * {@code w·x + b > 0}, else 0), one independent unit per output. The step has no useful gradient,
 * so it learns with the perceptron rule in {@link #fit} rather than by backpropagation.
 */
public class Perceptron extends Sequential {
    /** A single unit over {@code inFeatures} inputs. */
    public Perceptron(int inFeatures) {
        this(inFeatures, 1);
    }

    /** {@code outFeatures} units over {@code inFeatures} inputs. */
    public Perceptron(int inFeatures, int outFeatures) {
        super(new Linear(inFeatures, outFeatures), new Step());
    }

    /** The weights and bias. */
    public Linear linear() {
        return (Linear) get(0);
    }

    /**
     * Trains with the perceptron learning rule, one sample at a time in the given order:
     * {@code ŷ = step(w·x + b)}, then {@code w += lr·(y − ŷ)·x} and {@code b += lr·(y − ŷ)}. Stops early
     * after an epoch without mistakes; on linearly separable data that always happens (the
     * perceptron convergence theorem).
     *
     * @param inputs [N, inFeatures]
     * @param labels 0/1 targets, [N] for a single unit or [N, outFeatures]
     * @return the number of misclassified samples in each epoch run
     */
    public List<Integer> fit(Tensor inputs, Tensor labels, int epochs, double lr) {
        Linear l = linear();
        int n = inputs.size(0), in = l.inFeatures(), out = l.outFeatures();
        if (inputs.dim() != 2 || inputs.size(1) != in)
            throw new IllegalArgumentException("Perceptron.fit: expected inputs [N, " + in + "], got " + Shape.str(inputs.shape()));
        if (labels.numel() != n * out || labels.size(0) != n)
            throw new IllegalArgumentException("Perceptron.fit: expected " + n + "×" + out + " labels, got "
                    + Shape.str(labels.shape()));
        float[] x = inputs.toFloat().contiguous().toFloatArray(), y = labels.toFloat().contiguous().toFloatArray();
        float[] w = l.weight().toFloatArray(), b = l.bias().toFloatArray();
        List<Integer> errors = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            int wrong = 0;
            for (int i = 0; i < n; i++) {
                boolean miss = false;
                for (int o = 0; o < out; o++) {
                    double z = b[o];
                    for (int j = 0; j < in; j++) z += w[o * in + j] * x[i * in + j];
                    float err = y[i * out + o] - (z > 0 ? 1f : 0f);
                    if (err == 0) continue;
                    miss = true;
                    for (int j = 0; j < in; j++) w[o * in + j] += (float) (lr * err * x[i * in + j]);
                    b[o] += (float) (lr * err);
                }
                if (miss) wrong++;
            }
            errors.add(wrong);
            if (wrong == 0) break;
        }
        try (NoGrad g = NoGrad.enter()) {
            l.weight().copyInPlace(TensorData.wrap(w, out, in));
            l.bias().copyInPlace(TensorData.wrap(b, out));
        }
        return errors;
    }
}
