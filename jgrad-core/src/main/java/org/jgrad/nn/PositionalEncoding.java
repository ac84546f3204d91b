package org.jgrad.nn;

import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Adds the sinusoidal position encoding of "Attention Is All You Need" to a sequence, then applies
 * dropout, as PyTorch's Transformer tutorial's {@code PositionalEncoding}:
 * {@code pe[pos, 2i] = sin(pos / 10000^(2i/d))}, {@code pe[pos, 2i+1] = cos(pos / 10000^(2i/d))}. The
 * table is the buffer {@code pe} [maxLen, d]; inputs are [L, N, d] ([N, L, d] with {@code batchFirst})
 * or [L, d].
 */
public class PositionalEncoding extends Module {
    private final int dModel, maxLen;
    private final boolean batchFirst;
    private final Dropout dropout;

    /** Encodings for up to {@code maxLen} positions of width {@code dModel} (even or odd). */
    public PositionalEncoding(int dModel, double dropout, int maxLen, boolean batchFirst) {
        if (dModel < 1 || maxLen < 1)
            throw new IllegalArgumentException("PositionalEncoding: d_model and max_len must be positive, got " + dModel
                    + ", " + maxLen);
        this.dModel = dModel;
        this.maxLen = maxLen;
        this.batchFirst = batchFirst;
        this.dropout = registerModule("dropout", new Dropout(dropout));
        registerBuffer("pe", table(maxLen, dModel));
    }

    /** The [n, d] table of sines (even columns) and cosines (odd columns). */
    public static Tensor table(int n, int d) {
        float[] pe = new float[n * d];
        for (int pos = 0; pos < n; pos++)
            for (int i = 0; i < d; i += 2) {
                // as the tutorial computes it: exp(2i · −ln(10000)/d) in float32, times the position
                float div = (float) Math.exp(i * (-Math.log(10000.0) / d));
                float angle = pos * div;
                pe[pos * d + i] = (float) Math.sin(angle);
                if (i + 1 < d) pe[pos * d + i + 1] = (float) Math.cos(angle);
            }
        return Tensor.fromArray(pe, n, d);
    }

    @Override
    public Tensor forward(Tensor x) {
        int d = x.dim();
        if ((d != 2 && d != 3) || x.size(-1) != dModel)
            throw new IllegalArgumentException("PositionalEncoding: expected [L, N, " + dModel + "] or [L, " + dModel
                    + "], got " + Shape.str(x.shape()));
        int len = x.size(batchFirst && d == 3 ? 1 : 0);
        if (len > maxLen)
            throw new IllegalArgumentException("PositionalEncoding: sequence of " + len + " steps is longer than max_len "
                    + maxLen);
        Tensor pe = buffer("pe").narrow(0, 0, len);
        if (d == 3) pe = batchFirst ? pe.unsqueeze(0) : pe.unsqueeze(1);
        return dropout.call(x.add(pe));
    }

    @Override
    public String extraRepr() {
        return "d_model=" + dModel + ", max_len=" + maxLen + (batchFirst ? ", batch_first=True" : "");
    }
}
