package org.jgrad.nn;

import java.util.List;
import org.jgrad.nn.functional.F;
import org.jgrad.nn.init.Init;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Multi-head scaled dot-product attention, like {@code torch.nn.MultiheadAttention}: parameters
 * {@code in_proj_weight} [3E, E] (query, key, value projections stacked), {@code in_proj_bias} [3E] and
 * {@code out_proj.weight}/{@code out_proj.bias}, initialized as PyTorch does (Xavier uniform, zero
 * biases), so a PyTorch state dict loads unchanged. Per head h:
 * {@code softmax(q_h·k_hᵀ/√(E/heads) + mask)·v_h}; the heads are concatenated and projected.
 *
 * <p>Inputs are [L, N, E] ([N, L, E] with {@code batchFirst}) or unbatched [L, E]. Masks: jgrad has no
 * bool dtype, so
 * <ul>
 *   <li>{@code keyPaddingMask} [N, S] marks padded keys with a non-zero value (PyTorch's {@code True});
 *   <li>{@code attnMask} [L, S] or [N·heads, L, S] is added to the scores (PyTorch's float mask: use
 *       −∞ to forbid a position; {@link #causalMask} builds the causal one).
 * </ul>
 *
 * <pre>{@code
 * MultiheadAttention mha = new MultiheadAttention(64, 8, 0.0, true, true, gen);   // batch_first
 * MultiheadAttention.Result r = mha.attend(x, x, x, null, MultiheadAttention.causalMask(x.size(1)), true);
 * r.output();    // [N, L, 64]
 * r.weights();   // [N, L, L], averaged over the heads
 * }</pre>
 */
public class MultiheadAttention extends MultiOutputModule<MultiheadAttention.Result> implements Stochastic {
    private final int embedDim, numHeads;
    private final double dropout;
    private final boolean batchFirst;
    private final Linear outProj;
    private Generator generator;

    /** The attention output and, when asked for, the attention weights. */
    public record Result(Tensor output, Tensor weights) implements Outputs {
        @Override
        public List<Tensor> tensors() {
            return weights == null ? List.of(output) : List.of(output, weights);
        }
    }

    /** Time-major, no dropout, with biases, from {@link DefaultGenerator#get()}. */
    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0, true, false, DefaultGenerator.get());
    }

    /**
     * PyTorch's arguments ({@code add_bias_kv}, {@code add_zero_attn}, {@code kdim}/{@code vdim} other than
     * {@code embed_dim} are not supported); {@code gen} draws the parameters, null leaves them zero.
     */
    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst,
            Generator gen) {
        if (embedDim < 1 || numHeads < 1 || embedDim % numHeads != 0)
            throw new IllegalArgumentException("MultiheadAttention: embed_dim " + embedDim
                    + " must be a positive multiple of num_heads " + numHeads);
        if (!(dropout >= 0 && dropout <= 1))
            throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1], got " + dropout);
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        registerParameter("in_proj_weight", Tensor.zeros(3 * embedDim, embedDim));
        registerParameter("in_proj_bias", bias ? Tensor.zeros(3 * embedDim) : null);
        outProj = registerModule("out_proj", new Linear(embedDim, embedDim, bias, null));
        if (gen != null) resetParameters(gen);
    }

    /** PyTorch's {@code _reset_parameters}: Xavier uniform in-projection, default Linear out-projection, zero biases. */
    public void resetParameters(Generator gen) {
        Init.xavierUniform(parameter("in_proj_weight"), 1.0, gen);
        outProj.resetParameters(gen);
        if (parameter("in_proj_bias") != null) Init.zeros(parameter("in_proj_bias"));
        if (outProj.bias() != null) Init.zeros(outProj.bias());
    }

    /**
     * The additive causal mask [n, n]: 0 on and below the diagonal, −∞ above
     * ({@code nn.Transformer.generate_square_subsequent_mask}).
     */
    public static Tensor causalMask(int n) {
        float[] m = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) m[i * n + j] = Float.NEGATIVE_INFINITY;
        return Tensor.fromArray(m, n, n);
    }

    /** Query, key, value (self-attention when only the query is given); no masks, weights returned. */
    @Override
    public Result forwardOutputs(Tensor... inputs) {
        if (inputs.length != 1 && inputs.length != 3)
            throw new IllegalArgumentException(name() + ": expected query, key, value (or one tensor for self-attention), got "
                    + inputs.length + " tensors");
        Tensor q = inputs[0];
        return attend(q, inputs.length == 3 ? inputs[1] : q, inputs.length == 3 ? inputs[2] : q, null, null, true);
    }

    /**
     * Attention of {@code query} [L, N, E] over {@code key}/{@code value} [S, N, E] (batch-first or
     * unbatched likewise), with the masks described in the class comment (either may be null), and the
     * head-averaged weights [N, L, S] when {@code needWeights}.
     */
    public Result attend(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask,
            boolean needWeights) {
        return attend(query, key, value, keyPaddingMask, attnMask, needWeights, true);
    }

    /** {@link #attend} with the weights per head [N, heads, L, S] when {@code averageWeights} is false. */
    public Result attend(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask,
            boolean needWeights, boolean averageWeights) {
        int d = query.dim();
        if (d != 2 && d != 3 || key.dim() != d || value.dim() != d)
            throw new IllegalArgumentException(name() + ": query, key and value must all be 3-D (batched) or 2-D, got "
                    + Shape.str(query.shape()) + ", " + Shape.str(key.shape()) + ", " + Shape.str(value.shape()));
        boolean batched = d == 3;
        Tensor q = timeMajor(query, batched);
        Tensor k = key == query ? q : timeMajor(key, batched);
        Tensor v = value == key ? k : timeMajor(value, batched);
        if (keyPaddingMask != null && !batched) keyPaddingMask = keyPaddingMask.unsqueeze(0);
        Result r = timeMajorAttention(q, k, v, keyPaddingMask, attnMask, needWeights, averageWeights);
        Tensor out = r.output();
        out = !batched ? out.squeeze(1) : batchFirst ? out.transpose(0, 1) : out;
        Tensor w = r.weights();
        if (w != null && !batched) w = w.squeeze(0);
        return new Result(out, w);
    }

    private Tensor timeMajor(Tensor t, boolean batched) {
        return !batched ? t.unsqueeze(1) : batchFirst ? t.transpose(0, 1) : t;
    }

    private Result timeMajorAttention(Tensor q, Tensor k, Tensor v, Tensor keyPaddingMask, Tensor attnMask,
            boolean needWeights, boolean averageWeights) {
        int L = q.size(0), N = q.size(1), S = k.size(0), E = embedDim, hd = E / numHeads, nh = N * numHeads;
        if (q.size(2) != E || k.size(2) != E || v.size(2) != E || k.size(1) != N || v.size(1) != N || v.size(0) != S)
            throw new IllegalArgumentException(name() + ": expected query [L, N, " + E + "], key and value [S, N, " + E
                    + "] (time-major), got " + Shape.str(q.shape()) + ", " + Shape.str(k.shape()) + ", "
                    + Shape.str(v.shape()));
        Tensor w = parameter("in_proj_weight"), b = parameter("in_proj_bias");
        Tensor qp, kp, vp;
        if (q == k && k == v) {
            Tensor[] qkv = F.linear(q.contiguous().reshape(L * N, E), w, b).chunk(3, 1);
            qp = qkv[0];
            kp = qkv[1];
            vp = qkv[2];
        } else {
            Tensor[] ws = w.chunk(3, 0), bs = b == null ? new Tensor[3] : b.chunk(3, 0);
            qp = F.linear(q.contiguous().reshape(L * N, E), ws[0], bs[0]);
            kp = F.linear(k.contiguous().reshape(S * N, E), ws[1], bs[1]);
            vp = F.linear(v.contiguous().reshape(S * N, E), ws[2], bs[2]);
        }
        // [len·N, E] → [N·heads, len, hd], as PyTorch's view(len, N·heads, hd).transpose(0, 1)
        Tensor qh = qp.reshape(L, nh, hd).transpose(0, 1).mul((float) (1 / Math.sqrt(hd)));
        Tensor kh = kp.reshape(S, nh, hd).transpose(0, 1), vh = vp.reshape(S, nh, hd).transpose(0, 1);
        Tensor scores = qh.matmul(kh.transpose(1, 2));                      // [N·heads, L, S]
        Tensor mask = combinedMask(attnMask, keyPaddingMask, L, S, N);
        if (mask != null) scores = scores.add(mask);
        Tensor attn = F.softmax(scores, -1);
        Tensor dropped = dropout > 0 && isTraining() ? F.dropout(attn, dropout, true, generator()) : attn;
        Tensor ctx = dropped.matmul(vh).transpose(0, 1).contiguous().reshape(L * N, E);
        Tensor out = outProj.call(ctx).reshape(L, N, E);
        if (!needWeights) return new Result(out, null);
        Tensor weights = attn.reshape(N, numHeads, L, S);
        return new Result(out, averageWeights ? weights.mean(1, false) : weights);
    }

    /** The additive mask [N·heads or 1, L, S] from the two masks, or null. */
    private Tensor combinedMask(Tensor attnMask, Tensor keyPaddingMask, int L, int S, int N) {
        Tensor mask = null;
        if (attnMask != null) {
            boolean ok = attnMask.dim() == 2 ? attnMask.size(0) == L && attnMask.size(1) == S
                    : attnMask.dim() == 3 && attnMask.size(0) == N * numHeads && attnMask.size(1) == L && attnMask.size(2) == S;
            if (!ok)
                throw new IllegalArgumentException(name() + ": attn_mask must be [" + L + ", " + S + "] or [" + N * numHeads
                        + ", " + L + ", " + S + "], got " + Shape.str(attnMask.shape()));
            mask = attnMask.dim() == 2 ? attnMask.unsqueeze(0) : attnMask;
        }
        if (keyPaddingMask != null) {
            if (keyPaddingMask.dim() != 2 || keyPaddingMask.size(0) != N || keyPaddingMask.size(1) != S)
                throw new IllegalArgumentException(name() + ": key_padding_mask must be [" + N + ", " + S + "], got "
                        + Shape.str(keyPaddingMask.shape()));
            Tensor pad = Tensor.where(keyPaddingMask.toFloat().ne(0f), Tensor.scalar(Float.NEGATIVE_INFINITY),
                    Tensor.scalar(0f));                                   // [N, S]
            pad = pad.reshape(N, 1, 1, S).expand(N, numHeads, 1, S).reshape(N * numHeads, 1, S);
            mask = mask == null ? pad : mask.add(pad);
        }
        return mask;
    }

    /** Width of the model. */
    public int embedDim() {
        return embedDim;
    }

    /** Number of heads. */
    public int numHeads() {
        return numHeads;
    }

    /** Whether inputs and outputs are [N, L, E]. */
    public boolean batchFirst() {
        return batchFirst;
    }

    /** The output projection. */
    public Linear outProj() {
        return outProj;
    }

    @Override
    public MultiheadAttention setGenerator(Generator gen) {
        this.generator = gen;
        return this;
    }

    @Override
    public Generator generator() {
        return generator != null ? generator : DefaultGenerator.get();
    }

    @Override
    public String extraRepr() {
        return "embed_dim=" + embedDim + ", num_heads=" + numHeads + (dropout != 0 ? ", dropout=" + PyRepr.pyFloat(dropout) : "")
                + (batchFirst ? ", batch_first=True" : "");
    }
}
