package org.jgrad.vision.models;

import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Embedding;
import org.jgrad.nn.GRU;
import org.jgrad.nn.LSTM;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.RNNBase;
import org.jgrad.nn.RnnOutputs;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * The lectures' character-level language model: {@code encoder} (an {@link Embedding} of the characters),
 * {@code rnn} (a batch-first {@link LSTM} or {@link GRU}), dropout and {@code decoder} (a {@link Linear}
 * layer to the next character's scores), the layout of PyTorch's word-language-model example. Input
 * {@code [N, T]} token ids; output {@code [N, vocab, T]}, the class dimension second as
 * {@code cross_entropy} takes it, so the loss is the mean over all positions and {@code exp(loss)} is
 * the perplexity per character. {@link #sample} generates text.
 */
public class CharLanguageModel extends Module implements LanguageModel {
    private final int vocab;

    /**
     * A model over {@code vocab} characters.
     *
     * @param cell {@code "lstm"} or {@code "gru"}
     */
    public CharLanguageModel(String cell, int vocab, int embedding, int hidden, int layers, double dropout) {
        if (vocab < 2 || embedding < 1 || hidden < 1 || layers < 1)
            throw new IllegalArgumentException("CharLanguageModel: need vocab >= 2 and positive sizes, got vocab=" + vocab
                    + ", embedding=" + embedding + ", hidden=" + hidden + ", layers=" + layers);
        this.vocab = vocab;
        registerModule("encoder", new Embedding(vocab, embedding));
        registerModule("rnn", rnn(cell, embedding, hidden, layers, dropout));
        registerModule("drop", new Dropout(dropout));
        registerModule("decoder", new Linear(hidden, vocab));
    }

    static RNNBase rnn(String cell, int in, int hidden, int layers, double dropout) {
        double between = layers > 1 ? dropout : 0;
        return switch (cell) {
            case "lstm" -> new LSTM(in, hidden, layers, true, true, between, false, DefaultGenerator.get());
            case "gru" -> new GRU(in, hidden, layers, true, true, between, false, DefaultGenerator.get());
            default -> throw new IllegalArgumentException("unknown recurrent cell '" + cell + "' (lstm or gru)");
        };
    }

    @Override
    public int vocabularySize() {
        return vocab;
    }

    @Override
    public Tensor forward(Tensor ids) {
        return step(ids, null, null).scores;
    }

    private record Step(Tensor scores, RnnOutputs state) {}

    private Step step(Tensor ids, Tensor h, Tensor c) {
        if (ids.dim() != 2)
            throw new IllegalArgumentException("CharLanguageModel: expected token ids [N, T], got " + ids.dim() + " dimensions");
        Tensor x = child("encoder").call(ids);
        RNNBase rnn = (RNNBase) child("rnn");
        RnnOutputs o = h == null ? rnn.callOutputs(x) : c == null ? rnn.callOutputs(x, h) : rnn.callOutputs(x, h, c);
        Tensor y = child("decoder").call(child("drop").call(o.output()));
        return new Step(y.permute(0, 2, 1), o);
    }

    @Override
    public Tensor sample(Tensor prompt, int length, double temperature, Generator gen) {
        return TensorData.wrapLongs(sample(TokenSampling.ids("CharLanguageModel", prompt), length, temperature, gen), length);
    }

    private long[] sample(long[] prompt, int length, double temperature, Generator gen) {
        TokenSampling.check("CharLanguageModel", prompt, length, temperature, vocab);
        boolean was = isTraining();
        eval();
        try (NoGrad g = NoGrad.enter()) {
            long[] out = new long[length];
            Step s = step(TensorData.wrapLongs(prompt.clone(), 1, prompt.length), null, null);
            for (int i = 0; i < length; i++) {
                Tensor last = s.scores.select(2, s.scores.size(2) - 1); // [1, vocab]
                int pick = TokenSampling.draw(last, temperature, gen);
                out[i] = pick;
                s = step(TensorData.wrapLongs(new long[] {pick}, 1, 1), s.state.h(), s.state.c());
            }
            return out;
        } finally {
            train(was);
        }
    }
}
