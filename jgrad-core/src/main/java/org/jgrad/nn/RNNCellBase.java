package org.jgrad.nn;

import org.jgrad.nn.functional.F;
import org.jgrad.nn.init.Init;
import org.jgrad.ops.RecurrentOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * One step of a recurrent cell, the common part of {@link RNNCell}, {@link LSTMCell} and
 * {@link GRUCell} ({@code torch.nn.RNNCellBase}): parameters {@code weight_ih} [G·H, H_in],
 * {@code weight_hh} [G·H, H], {@code bias_ih}, {@code bias_hh} [G·H], all drawn from U(−1/√H, 1/√H).
 * A step is the same fused op as a whole layer ({@link RecurrentOps#layer}) run for one step.
 */
abstract class RNNCellBase extends MultiOutputModule<RnnOutputs> {
    private final RecurrentOps.Mode mode;
    private final int inputSize, hiddenSize;
    private final boolean bias;

    RNNCellBase(RecurrentOps.Mode mode, int inputSize, int hiddenSize, boolean bias, Generator gen) {
        if (inputSize < 1 || hiddenSize < 1)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input_size and hidden_size must be "
                    + "positive, got input_size=" + inputSize + ", hidden_size=" + hiddenSize);
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        int gh = mode.gates() * hiddenSize;
        registerParameter("weight_ih", Tensor.zeros(gh, inputSize));
        registerParameter("weight_hh", Tensor.zeros(gh, hiddenSize));
        registerParameter("bias_ih", bias ? Tensor.zeros(gh) : null);
        registerParameter("bias_hh", bias ? Tensor.zeros(gh) : null);
        if (gen != null) resetParameters(gen);
    }

    /** Re-draws every parameter from U(−1/√H, 1/√H). */
    public void resetParameters(Generator gen) {
        double k = 1 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters()) Init.uniform(p, -k, k, gen);
    }

    /** Features of the input. */
    public final int inputSize() {
        return inputSize;
    }

    /** Features of the hidden state. */
    public final int hiddenSize() {
        return hiddenSize;
    }

    /**
     * One step from {@code input} [N, H_in] (or unbatched [H_in]) and the state {@code h} [N, H]
     * (and {@code c} for an LSTM; zeros when null). The result's {@code output} and {@code h} are the
     * same new hidden state.
     */
    RnnOutputs step(Tensor input, Tensor h, Tensor c) {
        boolean lstm = mode == RecurrentOps.Mode.LSTM;
        if (input == null || (input.dim() != 1 && input.dim() != 2) || input.size(-1) != inputSize)
            throw new IllegalArgumentException(name() + ": expected input [N, " + inputSize + "] or [" + inputSize
                    + "], got " + (input == null ? "null" : Shape.str(input.shape())));
        boolean batched = input.dim() == 2;
        Tensor x = batched ? input : input.unsqueeze(0);
        int n = x.size(0);
        Tensor h0 = state("hx", h, n, batched), c0 = lstm ? state("cx", c, n, batched) : null;
        Tensor xp = F.linear(x, parameter("weight_ih"), parameter("bias_ih")).unsqueeze(0);
        RecurrentOps.LayerResult r = RecurrentOps.layer(mode, xp, h0, c0, parameter("weight_hh"),
                parameter("bias_hh"), null, false);
        Tensor hn = batched ? r.h() : r.h().squeeze(0);
        Tensor cn = !lstm ? null : batched ? r.c() : r.c().squeeze(0);
        return new RnnOutputs(hn, hn, cn);
    }

    private Tensor state(String what, Tensor s, int n, boolean batched) {
        if (s == null) return Tensor.zeros(n, hiddenSize);
        Tensor b = batched ? s : s.unsqueeze(0);
        if (b.dim() != 2 || b.size(0) != n || b.size(1) != hiddenSize)
            throw new IllegalArgumentException(name() + ": " + what + " must be " + (batched ? "[" + n + ", " : "[")
                    + hiddenSize + "], got " + Shape.str(s.shape()));
        return b;
    }

    @Override
    public String extraRepr() {
        String s = inputSize + ", " + hiddenSize;
        if (!bias) s += ", bias=False";
        if (mode == RecurrentOps.Mode.RNN_RELU) s += ", nonlinearity='relu'";
        return s;
    }
}
