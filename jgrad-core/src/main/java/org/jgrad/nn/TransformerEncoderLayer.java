package org.jgrad.nn;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * One Transformer encoder block, like {@code torch.nn.TransformerEncoderLayer}: self-attention and a
 * feed-forward network ({@code linear1} → activation → dropout → {@code linear2}), each wrapped in a
 * residual connection and a {@link LayerNorm}, after it (post-norm, the default) or before it
 * ({@code normFirst}). Children and parameter names are PyTorch's ({@code self_attn}, {@code linear1},
 * {@code dropout}, {@code linear2}, {@code norm1}, {@code norm2}, {@code dropout1}, {@code dropout2}),
 * so its state dict loads unchanged.
 *
 * <p>{@code call(src)} or {@link #forward(Tensor, Tensor, Tensor)} with the masks of
 * {@link MultiheadAttention} (an additive {@code mask} [L, L], a {@code keyPaddingMask} [N, L] with
 * non-zero at padded positions).
 */
public class TransformerEncoderLayer extends Module {
    /** The constructor's arguments, kept so that {@link TransformerEncoder} can clone the layer. */
    record Config(int dModel, int nhead, int dimFeedforward, double dropout, String activation, double layerNormEps,
            boolean batchFirst, boolean normFirst) {}

    private final Config config;
    private final MultiheadAttention selfAttn;
    private final Linear linear1, linear2;
    private final Dropout dropout, dropout1, dropout2;
    private final LayerNorm norm1, norm2;

    /** PyTorch's defaults: feed-forward 2048, dropout 0.1, ReLU, eps 1e-5, time-major, post-norm. */
    public TransformerEncoderLayer(int dModel, int nhead) {
        this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false, DefaultGenerator.get());
    }

    /**
     * PyTorch's arguments; {@code activation} is {@code "relu"} or {@code "gelu"}; {@code gen} draws the
     * parameters (null leaves them as a caller that loads weights wants them: zero, norms at 1 and 0).
     */
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation,
            double layerNormEps, boolean batchFirst, boolean normFirst, Generator gen) {
        if (!"relu".equals(activation) && !"gelu".equals(activation))
            throw new IllegalArgumentException("TransformerEncoderLayer: activation should be 'relu' or 'gelu', not '"
                    + activation + "'");
        if (dimFeedforward < 1)
            throw new IllegalArgumentException("TransformerEncoderLayer: dim_feedforward must be positive, got " + dimFeedforward);
        config = new Config(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst);
        selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst, gen));
        linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward, true, gen));
        this.dropout = registerModule("dropout", new Dropout(dropout));
        linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel, true, gen));
        norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        dropout1 = registerModule("dropout1", new Dropout(dropout));
        dropout2 = registerModule("dropout2", new Dropout(dropout));
    }

    /** A layer with the same arguments and a copy of this one's parameters and training mode. */
    TransformerEncoderLayer copy() {
        Config c = config;
        TransformerEncoderLayer l = new TransformerEncoderLayer(c.dModel(), c.nhead(), c.dimFeedforward(), c.dropout(),
                c.activation(), c.layerNormEps(), c.batchFirst(), c.normFirst(), null);
        l.loadStateDict(stateDict());
        l.train(isTraining());
        return l;
    }

    /** The self-attention block. */
    public MultiheadAttention selfAttn() {
        return selfAttn;
    }

    /** Whether the norms come before the blocks. */
    public boolean normFirst() {
        return config.normFirst();
    }

    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /** The block on {@code src} with an additive attention {@code mask} and a {@code keyPaddingMask} (either null). */
    public Tensor forward(Tensor src, Tensor mask, Tensor keyPaddingMask) {
        Tensor x = src;
        if (config.normFirst()) {
            x = x.add(selfAttention(norm1.call(x), mask, keyPaddingMask));
            return x.add(feedForward(norm2.call(x)));
        }
        x = norm1.call(x.add(selfAttention(x, mask, keyPaddingMask)));
        return norm2.call(x.add(feedForward(x)));
    }

    private Tensor selfAttention(Tensor x, Tensor mask, Tensor keyPaddingMask) {
        return dropout1.call(selfAttn.attend(x, x, x, keyPaddingMask, mask, false).output());
    }

    private Tensor feedForward(Tensor x) {
        Tensor h = linear1.call(x);
        h = "gelu".equals(config.activation()) ? F.gelu(h) : F.relu(h);
        return dropout2.call(linear2.call(dropout.call(h)));
    }
}
