package org.jgrad.nn;

import java.util.List;
import org.jgrad.tensor.Tensor;

/**
 * What {@link RNN}, {@link GRU} and {@link LSTM} return: PyTorch's {@code (output, h_n)} or
 * {@code (output, (h_n, c_n))}.
 *
 * @param output the last layer's hidden state at every step: [L, N, D·H] ([N, L, D·H] batch-first,
 *     [L, D·H] unbatched), where D is 2 for a bidirectional network; 0 at the padded steps of a
 *     variable-length batch
 * @param h the final hidden state of every layer and direction, [num_layers·D, N, H] (layer-major,
 *     the reverse direction second), at each row's last real step
 * @param c the final cell state in the same layout (LSTM), else null
 */
public record RnnOutputs(Tensor output, Tensor h, Tensor c) implements Outputs {
    @Override
    public List<Tensor> tensors() {
        return c == null ? List.of(output, h) : List.of(output, h, c);
    }
}
