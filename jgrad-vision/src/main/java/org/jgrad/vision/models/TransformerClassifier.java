package org.jgrad.vision.models;

import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Embedding;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.PositionalEncoding;
import org.jgrad.nn.TransformerEncoder;
import org.jgrad.tensor.Tensor;

/**
 * A Transformer text classifier: {@code encoder} (an {@link Embedding} of word ids, id 0 the padding),
 * {@code pos} (the sinusoidal {@link PositionalEncoding}, then dropout), {@code transformer} (a batch-first
 * pre-norm {@link TransformerEncoder} with GELU and a final norm, whose attention skips each document's
 * padding: its length is the number of ids before the padding starts, as in {@link TextClassifier}), the
 * mean of the outputs over the document's real words, dropout and {@code classifier} (a {@link Linear}
 * layer). Input {@code [N, T]} word ids padded with 0 at the end, {@code T <= context}; output
 * {@code [N, classes]}.
 */
public class TransformerClassifier extends Module {
    private final int context;

    /**
     * A classifier over {@code vocab} word ids.
     *
     * @param dModel width of the embeddings and of every layer (a multiple of {@code heads})
     * @param feedforward width of each layer's feed-forward network
     * @param context the longest document it reads (the positional table's length)
     */
    public TransformerClassifier(int vocab, int dModel, int heads, int feedforward, int layers, double dropout, int context,
            int numClasses) {
        TransformerText.check("TransformerClassifier", vocab, dModel, heads, feedforward, layers, context);
        if (numClasses < 1) throw new IllegalArgumentException("TransformerClassifier: need at least one class, got " + numClasses);
        this.context = context;
        registerModule("encoder", new Embedding(vocab, dModel, 0, null, 2.0, DefaultGenerator.get()));
        registerModule("pos", new PositionalEncoding(dModel, dropout, context, true));
        registerModule("transformer", TransformerText.encoder(dModel, heads, feedforward, layers, dropout));
        registerModule("drop", new Dropout(dropout));
        registerModule("classifier", new Linear(dModel, numClasses));
    }

    @Override
    public Tensor forward(Tensor ids) {
        if (ids.dim() != 2)
            throw new IllegalArgumentException("TransformerClassifier: expected word ids [N, T], got " + ids.dim() + " dimensions");
        int n = ids.size(0), t = ids.size(1);
        if (t > context)
            throw new IllegalArgumentException("TransformerClassifier: a document of " + t + " ids is longer than its context of "
                    + context + " (the model argument 'context')");
        int[] lengths = TextClassifier.lengths(ids);
        float[] padded = new float[n * t], real = new float[n * t], count = new float[n];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < t; i++) (i < lengths[b] ? real : padded)[b * t + i] = 1;
            count[b] = lengths[b];
        }
        Tensor padding = Tensor.fromArray(padded, n, t);
        Tensor x = child("pos").call(child("encoder").call(ids));
        Tensor h = ((TransformerEncoder) child("transformer")).forward(x, null, padding); // [N, T, d]
        Tensor mean = h.mul(Tensor.fromArray(real, n, t, 1)).sum(1, false).div(Tensor.fromArray(count, n, 1));
        return child("classifier").call(child("drop").call(mean));
    }
}
