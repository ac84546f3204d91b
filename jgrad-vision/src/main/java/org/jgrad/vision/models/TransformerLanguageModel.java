package org.jgrad.vision.models;

import java.util.Arrays;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.Embedding;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.MultiheadAttention;
import org.jgrad.nn.PositionalEncoding;
import org.jgrad.nn.TransformerEncoder;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * A character-level Transformer language model (decoder-only, as GPT): {@code encoder} (an
 * {@link Embedding} of the tokens), {@code pos} (the sinusoidal {@link PositionalEncoding} for up to
 * {@code context} positions, then dropout), {@code transformer} (a batch-first pre-norm
 * {@link TransformerEncoder} with GELU and a final {@code LayerNorm}, every layer attending under the causal
 * mask, so position {@code t} sees only the tokens up to {@code t}) and {@code decoder} (a {@link Linear} layer
 * to the next token's scores). PyTorch's module names, so the same network built from {@code torch.nn}
 * loads unchanged. Input {@code [N, T]} token ids with {@code T <= context}; output {@code [N, vocab, T]} as
 * {@link CharLanguageModel}'s.
 */
public class TransformerLanguageModel extends Module implements LanguageModel {
    private final int vocab, context;

    /**
     * A model over {@code vocab} tokens.
     *
     * @param dModel width of the embeddings and of every layer (a multiple of {@code heads})
     * @param feedforward width of each layer's feed-forward network
     * @param context the longest sequence it reads (the positional table's length)
     */
    public TransformerLanguageModel(int vocab, int dModel, int heads, int feedforward, int layers, double dropout, int context) {
        TransformerText.check("TransformerLanguageModel", vocab, dModel, heads, feedforward, layers, context);
        this.vocab = vocab;
        this.context = context;
        registerModule("encoder", new Embedding(vocab, dModel));
        registerModule("pos", new PositionalEncoding(dModel, dropout, context, true));
        registerModule("transformer", TransformerText.encoder(dModel, heads, feedforward, layers, dropout));
        registerModule("decoder", new Linear(dModel, vocab));
    }

    @Override
    public int vocabularySize() {
        return vocab;
    }

    /** The longest sequence the model reads; {@link #sample} looks back this far. */
    public int context() {
        return context;
    }

    @Override
    public Tensor forward(Tensor ids) {
        if (ids.dim() != 2)
            throw new IllegalArgumentException("TransformerLanguageModel: expected token ids [N, T], got " + ids.dim() + " dimensions");
        int t = ids.size(1);
        if (t > context)
            throw new IllegalArgumentException("TransformerLanguageModel: a sequence of " + t + " tokens is longer than its context of "
                    + context + " (the model argument 'context')");
        Tensor x = child("pos").call(child("encoder").call(ids));
        Tensor h = ((TransformerEncoder) child("transformer")).forward(x, MultiheadAttention.causalMask(t), null);
        return child("decoder").call(h).permute(0, 2, 1);
    }

    /** {@inheritDoc} Each token is predicted from the last {@link #context()} tokens before it. */
    @Override
    public Tensor sample(Tensor prompt, int length, double temperature, Generator gen) {
        return TensorData.wrapLongs(sample(TokenSampling.ids("TransformerLanguageModel", prompt), length, temperature, gen), length);
    }

    private long[] sample(long[] prompt, int length, double temperature, Generator gen) {
        TokenSampling.check("TransformerLanguageModel", prompt, length, temperature, vocab);
        boolean was = isTraining();
        eval();
        try (NoGrad g = NoGrad.enter()) {
            long[] text = Arrays.copyOf(prompt, prompt.length + length);
            for (int n = prompt.length; n < text.length; n++) {
                int from = Math.max(0, n - context);
                Tensor scores = call(Tensor.ofLongs(Arrays.copyOfRange(text, from, n)).reshape(1, n - from)); // [1, vocab, w]
                text[n] = TokenSampling.draw(scores.select(2, n - from - 1), temperature, gen);
            }
            return Arrays.copyOfRange(text, prompt.length, text.length);
        } finally {
            train(was);
        }
    }
}
