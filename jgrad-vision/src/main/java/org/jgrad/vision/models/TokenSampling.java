package org.jgrad.vision.models;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/** What the language models share when they sample: checking the request and drawing one token. */
final class TokenSampling {
    private TokenSampling() {}

    /** The token ids of a prompt [T] (int64). */
    static long[] ids(String model, Tensor prompt) {
        if (prompt.dim() != 1 || prompt.dtype() != org.jgrad.tensor.DType.INT64)
            throw new IllegalArgumentException(model + ": expected an int64 prompt of token ids [T], got "
                    + prompt.dtype().pyName() + " " + org.jgrad.tensor.Shape.str(prompt.shape()));
        return prompt.contiguous().toLongArray();
    }

    static void check(String model, long[] prompt, int length, double temperature, int vocab) {
        if (prompt == null || prompt.length == 0) throw new IllegalArgumentException(model + ".sample: empty prompt");
        if (length < 0) throw new IllegalArgumentException(model + ".sample: length must be >= 0, got " + length);
        if (!(temperature > 0) || Double.isInfinite(temperature))
            throw new IllegalArgumentException(model + ".sample: temperature must be a positive number, got " + temperature);
        for (int i = 0; i < prompt.length; i++)
            if (prompt[i] < 0 || prompt[i] >= vocab)
                throw new IllegalArgumentException(model + ".sample: prompt token " + prompt[i] + " at position " + i
                        + " is outside the vocabulary of " + vocab);
    }

    /** One token drawn from {@code softmax(scores / temperature)}, {@code scores} being [1, vocab]. */
    static int draw(Tensor scores, double temperature, Generator gen) {
        float[] p = F.softmax(scores.div((float) temperature), 1).toFloatArray();
        double u = gen.nextDouble(), acc = 0;
        for (int k = 0; k < p.length; k++) {
            acc += p[k];
            if (u < acc) return k;
        }
        return p.length - 1; // the rounding of the cumulative sum left u above it
    }
}
