package org.jgrad.nn;

import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.init.Init;
import org.jgrad.ops.EmbeddingBagOps;
import org.jgrad.ops.EmbeddingOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Sums, means or maxima of embedding vectors over bags of indices without building the per-index
 * embeddings, like {@code torch.nn.EmbeddingBag}: {@code weight} [num_embeddings, embedding_dim], drawn from
 * N(0, 1), the padding row zeroed. The output is {@code [bags, embedding_dim]}.
 *
 * <p>Input: int64, 2-D {@code [bags, n]} (each row one bag, no offsets) or 1-D with {@code offsets} (where
 * each bag starts; the first at 0; with {@code includeLastOffset}, one offset more, the input's length,
 * as in CSR). {@code perSampleWeights} (mode "sum" only) has the input's shape and scales each looked-up
 * row. Entries equal to {@code paddingIdx} are left out of their bag (of the mean's count and of the
 * maximum too) and the padding row gets no gradient; an empty bag gives zeros. {@code maxNorm} rescales the
 * looked-up rows in place first, as {@link Embedding}'s does.
 *
 * <pre>{@code
 * EmbeddingBag bag = new EmbeddingBag(10_000, 64);                          // mode "mean"
 * Tensor words = Tensor.ofLongs(4, 8, 15, 16, 23);
 * Tensor docs = bag.forward(words, Tensor.ofLongs(0, 2), null);            // bags [4, 8] and [15, 16, 23]: [2, 64]
 * }</pre>
 */
public class EmbeddingBag extends Module {
    private final int numEmbeddings, embeddingDim;
    private final Double maxNorm;
    private final double normType;
    private final EmbeddingBagOps.Mode mode;
    private final boolean includeLastOffset;
    private final Integer paddingIdx;

    /** Mode "mean", no norm limit or padding row, from {@link DefaultGenerator#get()}. */
    public EmbeddingBag(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null, 2.0, "mean", false, null, DefaultGenerator.get());
    }

    /**
     * PyTorch's arguments ({@code scale_grad_by_freq} and {@code sparse} are not supported).
     *
     * @param maxNorm the largest norm a looked-up row may have, or null
     * @param mode "sum", "mean" or "max"
     * @param paddingIdx the padding row (negative counts from the end), or null
     * @param gen draws the weight; null leaves it zero for a caller that loads weights
     */
    public EmbeddingBag(int numEmbeddings, int embeddingDim, Double maxNorm, double normType, String mode,
            boolean includeLastOffset, Integer paddingIdx, Generator gen) {
        if (numEmbeddings < 1 || embeddingDim < 1)
            throw new IllegalArgumentException("EmbeddingBag: num_embeddings and embedding_dim must be positive, got "
                    + numEmbeddings + ", " + embeddingDim);
        if (paddingIdx != null) {
            if (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings)
                throw new IllegalArgumentException("EmbeddingBag: padding_idx " + paddingIdx + " must be within num_embeddings "
                        + numEmbeddings);
            if (paddingIdx < 0) paddingIdx += numEmbeddings;
        }
        if (maxNorm != null && !(maxNorm > 0))
            throw new IllegalArgumentException("EmbeddingBag: max_norm must be positive, got " + maxNorm);
        if (!(normType > 0)) throw new IllegalArgumentException("EmbeddingBag: norm_type must be positive, got " + normType);
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.maxNorm = maxNorm;
        this.normType = normType;
        this.mode = EmbeddingBagOps.Mode.of(mode);
        this.includeLastOffset = includeLastOffset;
        this.paddingIdx = paddingIdx;
        registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim));
        if (gen != null) resetParameters(gen);
    }

    /**
     * A bag over a copy of {@code embeddings} ({@code EmbeddingBag.from_pretrained}); {@code freeze} turns its
     * gradient off.
     */
    public static EmbeddingBag fromPretrained(Tensor embeddings, boolean freeze, Double maxNorm, double normType, String mode,
            boolean includeLastOffset, Integer paddingIdx) {
        if (embeddings.dim() != 2)
            throw new IllegalArgumentException("EmbeddingBag.fromPretrained: embeddings must be 2-D, got "
                    + Shape.str(embeddings.shape()));
        EmbeddingBag e = new EmbeddingBag(embeddings.size(0), embeddings.size(1), maxNorm, normType, mode, includeLastOffset,
                paddingIdx, null);
        try (var g = NoGrad.enter()) {
            e.weight().copyInPlace(embeddings);
        }
        e.weight().requiresGrad(!freeze);
        return e;
    }

    /** Re-draws the weight from N(0, 1) and zeroes the padding row. */
    public void resetParameters(Generator gen) {
        Init.normal(weight(), 0, 1, gen);
        if (paddingIdx != null)
            try (var g = NoGrad.enter()) {
                weight().select(0, paddingIdx).fillInPlace(0f);
            }
    }

    /** The table, [num_embeddings, embedding_dim]. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** "sum", "mean" or "max". */
    public String mode() {
        return mode.pyName();
    }

    /** The padding row, or null. */
    public Integer paddingIdx() {
        return paddingIdx;
    }

    /** Bags of a 2-D input {@code [bags, n]}, one a row. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null, null);
    }

    /** {@code input}, then optionally {@code offsets} and {@code perSampleWeights} (either may be null). */
    @Override
    public Tensor forward(Tensor... inputs) {
        if (inputs.length < 1 || inputs.length > 3)
            throw new IllegalArgumentException(name() + ".forward: expected input, offsets, per_sample_weights, got "
                    + inputs.length + " tensors");
        return forward(inputs[0], inputs.length > 1 ? inputs[1] : null, inputs.length > 2 ? inputs[2] : null);
    }

    /** The bags of {@code input} (2-D, or 1-D with {@code offsets}), each row weighted by {@code perSampleWeights} (or null). */
    public Tensor forward(Tensor input, Tensor offsets, Tensor perSampleWeights) {
        if (maxNorm != null) EmbeddingOps.renormRows(weight(), input, maxNorm, normType);
        return EmbeddingBagOps.embeddingBag(weight(), input, offsets, mode, perSampleWeights, includeLastOffset,
                paddingIdx == null ? -1 : paddingIdx);
    }

    @Override
    public String extraRepr() {
        String s = numEmbeddings + ", " + embeddingDim;
        if (maxNorm != null) s += ", max_norm=" + PyRepr.pyFloat(maxNorm);
        if (maxNorm != null && normType != 2) s += ", norm_type=" + PyRepr.pyFloat(normType);
        s += ", mode=" + mode.pyName(); // PyTorch leaves include_last_offset out
        if (paddingIdx != null) s += ", padding_idx=" + paddingIdx;
        return s;
    }
}
