package org.jgrad.nn;

import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.init.Init;
import org.jgrad.ops.EmbeddingOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * A lookup table of vectors, like {@code torch.nn.Embedding}: {@code weight} [num_embeddings,
 * embedding_dim], drawn from N(0, 1); the input is int64 indices of any shape and the output has
 * that shape plus {@code embedding_dim}.
 *
 * <p>{@code paddingIdx}: that row starts at 0 and gets no gradient, so it stays what it is (a
 * negative value counts from the end, as in PyTorch). {@code maxNorm}: before each lookup, the rows
 * looked up whose {@code normType}-norm exceeds it are rescaled in place to that norm (PyTorch's
 * {@code max_norm}, which also modifies the weight outside autograd).
 *
 * <pre>{@code
 * Embedding emb = new Embedding(10_000, 200);
 * Tensor vectors = emb.call(Tensor.ofLongs(4, 8, 15).reshape(1, 3));   // [1, 3, 200]
 * }</pre>
 */
public class Embedding extends Module {
    private final int numEmbeddings, embeddingDim;
    private final Integer paddingIdx;
    private final Double maxNorm;
    private final double normType;

    /** A table without padding row or norm limit, from {@link DefaultGenerator#get()}. */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null, null, 2.0, DefaultGenerator.get());
    }

    /**
     * PyTorch's arguments ({@code scale_grad_by_freq} and {@code sparse} are not supported).
     *
     * @param paddingIdx the padding row or null
     * @param maxNorm the largest norm a looked-up row may have, or null
     * @param gen draws the weight; null leaves it zero for a caller that loads weights
     */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Double maxNorm, double normType,
            Generator gen) {
        if (numEmbeddings < 1 || embeddingDim < 1)
            throw new IllegalArgumentException("Embedding: num_embeddings and embedding_dim must be positive, got "
                    + numEmbeddings + ", " + embeddingDim);
        if (paddingIdx != null) {
            if (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings)
                throw new IllegalArgumentException("Embedding: padding_idx " + paddingIdx
                        + " must be within num_embeddings " + numEmbeddings);
            if (paddingIdx < 0) paddingIdx += numEmbeddings;
        }
        if (maxNorm != null && !(maxNorm > 0))
            throw new IllegalArgumentException("Embedding: max_norm must be positive, got " + maxNorm);
        if (!(normType > 0)) throw new IllegalArgumentException("Embedding: norm_type must be positive, got " + normType);
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx;
        this.maxNorm = maxNorm;
        this.normType = normType;
        registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim));
        if (gen != null) resetParameters(gen);
    }

    /**
     * A table holding a copy of {@code embeddings} ({@code Embedding.from_pretrained}); {@code freeze}
     * turns its gradient off.
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Integer paddingIdx) {
        if (embeddings.dim() != 2)
            throw new IllegalArgumentException("Embedding.fromPretrained: embeddings must be 2-D, got "
                    + Shape.str(embeddings.shape()));
        Embedding e = new Embedding(embeddings.size(0), embeddings.size(1), paddingIdx, null, 2.0, null);
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

    /** The padding row, or null. */
    public Integer paddingIdx() {
        return paddingIdx;
    }

    /** The norm limit, or null. */
    public Double maxNorm() {
        return maxNorm;
    }

    /** Rows in the table. */
    public int numEmbeddings() {
        return numEmbeddings;
    }

    /** Length of each vector. */
    public int embeddingDim() {
        return embeddingDim;
    }

    @Override
    public Tensor forward(Tensor indices) {
        return EmbeddingOps.embedding(weight(), indices, paddingIdx == null ? -1 : paddingIdx, maxNorm, normType);
    }

    @Override
    public String extraRepr() {
        String s = numEmbeddings + ", " + embeddingDim;
        if (paddingIdx != null) s += ", padding_idx=" + paddingIdx;
        if (maxNorm != null) s += ", max_norm=" + PyRepr.pyFloat(maxNorm);
        if (maxNorm != null && normType != 2) s += ", norm_type=" + PyRepr.pyFloat(normType);
        return s;
    }
}
