package org.jgrad.vision.models;

import org.jgrad.nn.Dropout;
import org.jgrad.nn.Embedding;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.RNNBase;
import org.jgrad.nn.RnnOutputs;
import org.jgrad.tensor.Tensor;

/**
 * A recurrent text classifier: {@code encoder} (an {@link Embedding} of word ids, id 0 the padding),
 * {@code rnn} (a batch-first LSTM or GRU run over each document's real words only: its length is the
 * number of ids before the padding starts), dropout and {@code classifier} (a {@link Linear} layer on the
 * last layer's final hidden state). Input {@code [N, T]} word ids padded with 0 at the end; output
 * {@code [N, classes]}.
 */
public class TextClassifier extends Module {

    /**
     * A classifier over {@code vocab} word ids.
     *
     * @param cell {@code "lstm"} or {@code "gru"}
     */
    public TextClassifier(String cell, int vocab, int embedding, int hidden, int layers, double dropout, int numClasses) {
        if (vocab < 2 || embedding < 1 || hidden < 1 || layers < 1 || numClasses < 1)
            throw new IllegalArgumentException("TextClassifier: need vocab >= 2 and positive sizes");
        registerModule("encoder", new Embedding(vocab, embedding, 0, null, 2.0, org.jgrad.nn.DefaultGenerator.get()));
        registerModule("rnn", CharLanguageModel.rnn(cell, embedding, hidden, layers, dropout));
        registerModule("drop", new Dropout(dropout));
        registerModule("classifier", new Linear(hidden, numClasses));
    }

    @Override
    public Tensor forward(Tensor ids) {
        if (ids.dim() != 2)
            throw new IllegalArgumentException("TextClassifier: expected word ids [N, T], got " + ids.dim() + " dimensions");
        int[] lengths = lengths(ids);
        RnnOutputs o = ((RNNBase) child("rnn")).forwardPadded(child("encoder").call(ids), lengths, null, null);
        Tensor h = o.h().select(0, o.h().size(0) - 1); // the last layer's final state [N, hidden]
        return child("classifier").call(child("drop").call(h));
    }

    /** Each row's length: the ids before its trailing padding (0s), at least 1. */
    static int[] lengths(Tensor ids) {
        int n = ids.size(0), t = ids.size(1);
        long[] v = ids.contiguous().toLongArray();
        int[] lengths = new int[n];
        for (int b = 0; b < n; b++) {
            int len = t;
            while (len > 1 && v[b * t + len - 1] == 0) len--;
            lengths[b] = len;
        }
        return lengths;
    }
}
