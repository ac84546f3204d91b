package org.jgrad.nn;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.tensor.Tensor;

/**
 * A stack of {@link TransformerEncoderLayer}s, like {@code torch.nn.TransformerEncoder}: the layer given
 * is cloned {@code numLayers} times (the same initial parameters in each, as PyTorch's deep copies),
 * held as {@code layers.0}, {@code layers.1}, ... and followed by an optional final {@code norm}.
 *
 * <pre>{@code
 * var layer = new TransformerEncoderLayer(64, 4, 256, 0.1, "relu", 1e-5, true, false, gen);
 * TransformerEncoder enc = new TransformerEncoder(layer, 2, null);
 * Tensor h = enc.forward(x, MultiheadAttention.causalMask(x.size(1)), null);    // x [N, L, 64]
 * }</pre>
 */
public class TransformerEncoder extends Module {
    private final ModuleList layers;
    private final LayerNorm norm;

    /** {@code numLayers} copies of {@code layer}, then {@code norm} (may be null). */
    public TransformerEncoder(TransformerEncoderLayer layer, int numLayers, LayerNorm norm) {
        if (layer == null) throw new IllegalArgumentException("TransformerEncoder: encoder_layer is null");
        if (numLayers < 1) throw new IllegalArgumentException("TransformerEncoder: num_layers must be at least 1, got " + numLayers);
        List<TransformerEncoderLayer> copies = new ArrayList<>();
        for (int i = 0; i < numLayers; i++) copies.add(layer.copy());
        layers = registerModule("layers", new ModuleList(copies));
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    /** The layers, in order. */
    public ModuleList layers() {
        return layers;
    }

    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /** Every layer with the same masks (see {@link TransformerEncoderLayer#forward(Tensor, Tensor, Tensor)}), then the norm. */
    public Tensor forward(Tensor src, Tensor mask, Tensor keyPaddingMask) {
        Tensor x = src;
        for (int i = 0; i < layers.size(); i++)
            x = ((TransformerEncoderLayer) layers.get(i)).forward(x, mask, keyPaddingMask);
        return norm == null ? x : norm.call(x);
    }
}
