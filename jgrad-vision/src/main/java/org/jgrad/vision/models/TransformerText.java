package org.jgrad.vision.models;

import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.LayerNorm;
import org.jgrad.nn.TransformerEncoder;
import org.jgrad.nn.TransformerEncoderLayer;

/** Builds the encoder stack both Transformer text models use, and checks their sizes. */
final class TransformerText {
    private TransformerText() {}

    static void check(String model, int vocab, int dModel, int heads, int feedforward, int layers, int context) {
        if (vocab < 2 || dModel < 1 || heads < 1 || feedforward < 1 || layers < 1 || context < 1)
            throw new IllegalArgumentException(model + ": need vocab >= 2 and positive sizes, got vocab=" + vocab + ", d_model="
                    + dModel + ", heads=" + heads + ", feedforward=" + feedforward + ", layers=" + layers + ", context=" + context);
        if (dModel % heads != 0)
            throw new IllegalArgumentException(model + ": d_model " + dModel + " is not divisible by heads " + heads);
    }

    // pre-norm (norm_first) with a final norm: trains without a learning-rate warm-up
    static TransformerEncoder encoder(int dModel, int heads, int feedforward, int layers, double dropout) {
        var layer = new TransformerEncoderLayer(dModel, heads, feedforward, dropout, "gelu", 1e-5, true, true,
                DefaultGenerator.get());
        return new TransformerEncoder(layer, layers, new LayerNorm(dModel));
    }
}
