package org.jgrad.nn;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.nn.functional.F;
import org.jgrad.nn.init.Init;
import org.jgrad.ops.RecurrentOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * The multi-layer recurrent network behind {@link RNN}, {@link LSTM} and {@link GRU}, like
 * {@code torch.nn.RNNBase}: the same parameters ({@code weight_ih_l0}, {@code weight_hh_l0},
 * {@code bias_ih_l0}, {@code bias_hh_l0}, and {@code ..._reverse} for the second direction), shapes,
 * gate orders and initialization (every parameter U(−1/√H, 1/√H)), so a PyTorch state dict loads
 * unchanged.
 *
 * <p>Inputs: {@code callOutputs(input)}, {@code callOutputs(input, h0)} or for an LSTM
 * {@code callOutputs(input, h0, c0)}; the input is [L, N, H_in] ([N, L, H_in] batch-first) or
 * unbatched [L, H_in]. Variable-length batches: {@link #forwardPadded} (a padded batch and the
 * length of each row) or {@link #forwardPacked} (a {@link PackedSequence}).
 *
 * <p>Each layer and direction is one graph node ({@link RecurrentOps#layer}): the input projection of
 * all steps is one matrix product, each step one more for all gates, and the gates' nonlinearities and
 * the state update one fused pass.
 */
public abstract class RNNBase extends MultiOutputModule<RnnOutputs> implements Stochastic {
    private final RecurrentOps.Mode mode;
    private final int inputSize, hiddenSize, numLayers;
    private final boolean bias, batchFirst, bidirectional;
    private final double dropout;
    private Generator generator;

    /**
     * @param gen initializes the parameters; null leaves them zero for a caller that loads weights
     */
    RNNBase(RecurrentOps.Mode mode, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
            double dropout, boolean bidirectional, Generator gen) {
        String name = getClass().getSimpleName();
        if (inputSize < 1 || hiddenSize < 1)
            throw new IllegalArgumentException(name + ": input_size and hidden_size must be positive, got input_size="
                    + inputSize + ", hidden_size=" + hiddenSize);
        if (numLayers < 1)
            throw new IllegalArgumentException(name + ": num_layers must be at least 1, got " + numLayers);
        if (!(dropout >= 0 && dropout <= 1))
            throw new IllegalArgumentException(name + ": dropout must be in [0, 1], got " + dropout);
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        int gh = mode.gates() * hiddenSize, dirs = directions();
        for (int l = 0; l < numLayers; l++)
            for (int d = 0; d < dirs; d++) {
                String s = suffix(l, d);
                int in = l == 0 ? inputSize : hiddenSize * dirs;
                registerParameter("weight_ih" + s, Tensor.zeros(gh, in));
                registerParameter("weight_hh" + s, Tensor.zeros(gh, hiddenSize));
                registerParameter("bias_ih" + s, bias ? Tensor.zeros(gh) : null);
                registerParameter("bias_hh" + s, bias ? Tensor.zeros(gh) : null);
            }
        if (gen != null) resetParameters(gen);
    }

    private static String suffix(int layer, int direction) {
        return "_l" + layer + (direction == 1 ? "_reverse" : "");
    }

    /** Re-draws every parameter from U(−1/√H, 1/√H), in PyTorch's order. */
    public void resetParameters(Generator gen) {
        double k = 1 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters()) Init.uniform(p, -k, k, gen);
    }

    /** 2 for a bidirectional network, else 1. */
    public final int directions() {
        return bidirectional ? 2 : 1;
    }

    /** Features of each input step. */
    public final int inputSize() {
        return inputSize;
    }

    /** Features of the hidden state. */
    public final int hiddenSize() {
        return hiddenSize;
    }

    /** Stacked layers. */
    public final int numLayers() {
        return numLayers;
    }

    /** Whether inputs and outputs are [N, L, features]. */
    public final boolean batchFirst() {
        return batchFirst;
    }

    /** Whether a second layer of each pair runs from the last step to the first. */
    public final boolean bidirectional() {
        return bidirectional;
    }

    /** Dropout probability on the outputs of every layer but the last, in training. */
    public final double dropout() {
        return dropout;
    }

    /** The cell: tanh or ReLU RNN, LSTM or GRU. */
    public final RecurrentOps.Mode mode() {
        return mode;
    }

    @Override
    public RNNBase setGenerator(Generator gen) {
        this.generator = gen;
        return this;
    }

    @Override
    public Generator generator() {
        return generator != null ? generator : DefaultGenerator.get();
    }

    /** {@code input}, then optionally {@code h0} and (LSTM) {@code c0}; see the class comment. */
    @Override
    public RnnOutputs forwardOutputs(Tensor... inputs) {
        int max = mode == RecurrentOps.Mode.LSTM ? 3 : 2;
        if (inputs.length < 1 || inputs.length > max)
            throw new IllegalArgumentException(name() + ": expected input" + (max == 3 ? ", h0, c0" : ", h0")
                    + " (the states optional), got " + inputs.length + " tensors");
        return run(inputs[0], inputs.length > 1 ? inputs[1] : null, inputs.length > 2 ? inputs[2] : null, null);
    }

    /**
     * A padded batch of sequences of different lengths: row b of the batch has {@code lengths[b]}
     * real steps (at least 1 each, like PyTorch's packing); the rest is padding that the network
     * never reads. The output is 0 at padded steps and the final states are those after each row's
     * last real step (the reverse direction starts there), exactly as running the packed sequence.
     *
     * @param h0 initial hidden state or null; {@code c0} likewise, LSTM only
     */
    public RnnOutputs forwardPadded(Tensor input, int[] lengths, Tensor h0, Tensor c0) {
        if (lengths == null) throw new IllegalArgumentException(name() + ": lengths must not be null");
        if (input.dim() != 3)
            throw new IllegalArgumentException(name() + ": a padded batch must be 3-D, got " + Shape.str(input.shape()));
        int n = input.size(batchFirst ? 0 : 1), len = input.size(batchFirst ? 1 : 0);
        if (lengths.length != n)
            throw new IllegalArgumentException(name() + ": " + lengths.length + " lengths for a batch of " + n);
        for (int b = 0; b < n; b++)
            if (lengths[b] < 1 || lengths[b] > len)
                throw new IllegalArgumentException(name() + ": length " + lengths[b] + " of batch row " + b
                        + " is outside 1.." + len);
        return run(input, h0, c0, lengths.clone());
    }

    /**
     * Runs a {@link PackedSequence} as PyTorch does: the output is packed the same way, and the
     * states (given and returned) are in the batch's original order. {@code batchFirst} does not
     * apply to packed data.
     */
    public PackedOutputs forwardPacked(PackedSequence input, Tensor h0, Tensor c0) {
        PackedSequence.Padded p = input.pad(false);
        RnnOutputs o = runTimeMajor(p.padded(), h0, c0, p.lengths());
        return new PackedOutputs(input.repack(o.output()), o.h(), o.c());
    }

    /** {@link #forwardPacked}'s result: the packed output and the final states. */
    public record PackedOutputs(PackedSequence output, Tensor h, Tensor c) implements Outputs {
        @Override
        public List<Tensor> tensors() {
            return c == null ? List.of(output.data(), h) : List.of(output.data(), h, c);
        }
    }

    private RnnOutputs run(Tensor input, Tensor h0, Tensor c0, int[] lengths) {
        if (input == null) throw new IllegalArgumentException(name() + ": input is null");
        boolean batched = input.dim() == 3;
        if (!batched && input.dim() != 2)
            throw new IllegalArgumentException(name() + ": expected input [L, N, " + inputSize + "]"
                    + (batchFirst ? " (batch_first: [N, L, " + inputSize + "])" : "") + " or unbatched [L, "
                    + inputSize + "], got " + Shape.str(input.shape()));
        Tensor x = !batched ? input.unsqueeze(1) : batchFirst ? input.transpose(0, 1) : input;
        if (!batched) {
            h0 = unbatchedState("h0", h0);
            c0 = unbatchedState("c0", c0);
        }
        RnnOutputs o = runTimeMajor(x, h0, c0, lengths);
        Tensor out = !batched ? o.output().squeeze(1) : batchFirst ? o.output().transpose(0, 1) : o.output();
        if (!batched) return new RnnOutputs(out, o.h().squeeze(1), o.c() == null ? null : o.c().squeeze(1));
        return new RnnOutputs(out, o.h(), o.c());
    }

    private Tensor unbatchedState(String what, Tensor s) {
        if (s == null) return null;
        if (s.dim() != 2)
            throw new IllegalArgumentException(name() + ": for an unbatched input " + what + " must be [" + numLayers
                    * directions() + ", " + hiddenSize + "], got " + Shape.str(s.shape()));
        return s.unsqueeze(1);
    }

    /** The network on a time-major [L, N, H_in] input. */
    private RnnOutputs runTimeMajor(Tensor x, Tensor h0, Tensor c0, int[] lengths) {
        boolean lstm = mode == RecurrentOps.Mode.LSTM;
        if (x.size(2) != inputSize)
            throw new IllegalArgumentException(name() + ": input has " + x.size(2) + " features per step, expected "
                    + inputSize + " (input " + Shape.str(x.shape()) + ")");
        if (!lstm && c0 != null) throw new IllegalArgumentException(name() + ": only an LSTM takes c0");
        int T = x.size(0), N = x.size(1), dirs = directions(), states = numLayers * dirs;
        h0 = state("h0", h0, states, N);
        if (lstm) c0 = state("c0", c0, states, N);
        List<Tensor> hs = new ArrayList<>(), cs = new ArrayList<>();
        Tensor layerIn = x;
        for (int l = 0; l < numLayers; l++) {
            Tensor flat = layerIn.contiguous().reshape(T * N, layerIn.size(2));
            Tensor[] outs = new Tensor[dirs];
            for (int d = 0; d < dirs; d++) {
                String s = suffix(l, d);
                Tensor xp = F.linear(flat, parameter("weight_ih" + s), parameter("bias_ih" + s))
                        .reshape(T, N, mode.gates() * hiddenSize);
                int k = l * dirs + d;
                RecurrentOps.LayerResult r = RecurrentOps.layer(mode, xp, h0.select(0, k),
                        lstm ? c0.select(0, k) : null, parameter("weight_hh" + s), parameter("bias_hh" + s), lengths,
                        d == 1);
                outs[d] = r.output();
                hs.add(r.h());
                if (lstm) cs.add(r.c());
            }
            layerIn = dirs == 1 ? outs[0] : Tensor.cat(2, outs);
            if (l < numLayers - 1 && dropout > 0 && isTraining())
                layerIn = F.dropout(layerIn, dropout, true, generator());
        }
        Tensor h = Tensor.stack(0, hs.toArray(Tensor[]::new));
        Tensor c = lstm ? Tensor.stack(0, cs.toArray(Tensor[]::new)) : null;
        return new RnnOutputs(layerIn, h, c);
    }

    private Tensor state(String what, Tensor s, int states, int n) {
        if (s == null) return Tensor.zeros(states, n, hiddenSize);
        if (s.dim() != 3 || s.size(0) != states || s.size(1) != n || s.size(2) != hiddenSize)
            throw new IllegalArgumentException(name() + ": " + what + " must be [" + states + ", " + n + ", "
                    + hiddenSize + "] (num_layers * num_directions, batch, hidden_size), got " + Shape.str(s.shape()));
        return s;
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (mode == RecurrentOps.Mode.RNN_RELU) s.append(", nonlinearity='relu'");
        if (numLayers != 1) s.append(", num_layers=").append(numLayers);
        if (!bias) s.append(", bias=False");
        if (batchFirst) s.append(", batch_first=True");
        if (dropout != 0) s.append(", dropout=").append(PyRepr.pyFloat(dropout));
        if (bidirectional) s.append(", bidirectional=True");
        return s.toString();
    }
}
