package org.jgrad.vision.models;

import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * A model that predicts the next token of a sequence and can generate text: {@code forward} takes token
 * ids {@code [N, T]} and returns scores {@code [N, vocab, T]} (the class dimension second, as
 * {@code cross_entropy} takes it), position {@code t} scoring the token after the first {@code t + 1}.
 * {@code jgrad train} reports its perplexity and a sample.
 */
public interface LanguageModel {

    /** Tokens the model knows (its inputs and its outputs). */
    int vocabularySize();

    /**
     * {@code length} tokens (int64 {@code [length]}) drawn one at a time after {@code prompt} (int64 token
     * ids {@code [T]}, at least one), each from the softmax of the scores divided by {@code temperature}
     * (lower: more likely tokens; near 0: nearly always the most likely). Eval mode, no gradients; the
     * model's mode is restored.
     */
    Tensor sample(Tensor prompt, int length, double temperature, Generator gen);
}
