package org.jgrad.ops;

import java.util.concurrent.ConcurrentHashMap;
import org.jgrad.autograd.Autograd;
import org.jgrad.backend.Backend;
import org.jgrad.backend.Backends;
import org.jgrad.backend.ConvBackend;
import org.jgrad.backend.ConvGeometry;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * A {@code conv2d} with a frozen weight and bias, for inference: the values are copied once, and for
 * each input size the backend lays the weight out once (its tap window, in the GEMM's packed panels)
 * instead of in every call, as PyTorch's prepacked inference convolutions do
 * ({@code torch.jit.freeze}, {@code optimize_for_mobile}). Where the backend has no packed form for a
 * size (grouped convolutions, large images) the plain {@link ConvOps#conv2d} runs.
 *
 * <pre>{@code
 * PackedConv2d conv = PackedConv2d.of(weight, bias, Conv2dOptions.defaults().padding(1));
 * Tensor y = conv.forward(x, true);   // relu(conv2d(x, weight, bias)), the same values within float rounding
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may call {@link #forward} at once (each runs on its own
 * thread, with its own scratch buffers). An input that requires grad, with grad mode on, takes the
 * recording path, so gradients still reach the input (never the frozen weight).
 */
public final class PackedConv2d {
    private final Tensor weight, bias;
    private final Conv2dOptions options;
    private final ConcurrentHashMap<Size, Entry> packed = new ConcurrentHashMap<>();

    /** One input size: channels, height, width. */
    private record Size(int c, int h, int w) {}

    /** The backend it was packed on and its packed form (null: the backend has none for this size). */
    private record Entry(Backend backend, ConvBackend.Packed packed) {}

    private PackedConv2d(Tensor weight, Tensor bias, Conv2dOptions options) {
        this.weight = weight;
        this.bias = bias;
        this.options = options;
    }

    /**
     * Freezes copies of {@code weight} [O, C/groups, kH, kW] and {@code bias} [O] (or null).
     *
     * @throws IllegalArgumentException when they are not float32, have the wrong rank or disagree in O
     */
    public static PackedConv2d of(Tensor weight, Tensor bias, Conv2dOptions options) {
        if (weight == null) throw new IllegalArgumentException("PackedConv2d: weight is null");
        if (options == null) throw new IllegalArgumentException("PackedConv2d: options must not be null");
        ElementwiseOps.requireFloat("PackedConv2d", weight);
        if (bias != null) ElementwiseOps.requireFloat("PackedConv2d", bias);
        if (weight.dim() != 4)
            throw new IllegalArgumentException("PackedConv2d: expected a 4-D weight [O, C/groups, kH, kW], got "
                    + Shape.str(weight.shape()));
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0)))
            throw new IllegalArgumentException("PackedConv2d: expected bias of shape [" + weight.size(0) + "], got "
                    + Shape.str(bias.shape()));
        return new PackedConv2d(weight.detach().cloneData(), bias == null ? null : bias.detach().cloneData(), options);
    }

    /** The frozen weight (a copy; requires no grad). */
    public Tensor weight() {
        return weight;
    }

    /** The frozen bias, or null. */
    public Tensor bias() {
        return bias;
    }

    /** Stride, padding, dilation and groups. */
    public Conv2dOptions options() {
        return options;
    }

    /**
     * {@code conv2d(input, weight, bias)}, then ReLU'd when {@code relu}, for a [C, H, W] or [N, C, H, W]
     * input; the first call at an input size packs the weight for it.
     *
     * @throws IllegalArgumentException as {@link ConvOps#conv2d} for an input that does not fit
     */
    public Tensor forward(Tensor input, boolean relu) {
        ElementwiseOps.requireFloat("conv2d", input);
        if (input.dim() == 3) return forward(input.unsqueeze(0), relu).squeeze(0);
        if (input.dim() != 4 || Autograd.needsGraph(input))
            return relu ? ConvOps.conv2dRelu(input, weight, bias, options) : ConvOps.conv2d(input, weight, bias, options);
        int[] xs = input.shape();
        Backend backend = Backends.current();
        Entry e = packed.get(new Size(xs[1], xs[2], xs[3]));
        if (e == null || e.backend() != backend) e = pack(input, backend);
        if (e.packed() == null)
            return relu ? ConvOps.conv2dRelu(input, weight, bias, options) : ConvOps.conv2d(input, weight, bias, options);
        ConvGeometry g = e.packed().geometry();
        int n = xs[0];
        Shape.numel("conv2d", new int[] {n, g.outChannels(), g.outH(), g.outW()});
        Tensor xc = input.contiguous();
        return TensorData.wrap(backend.conv().forwardPacked(e.packed(), n, TensorData.storage(xc), xc.offset(), relu),
                n, g.outChannels(), g.outH(), g.outW());
    }

    /** Checks the input's size against the weight and packs for it (once per size and backend). */
    private Entry pack(Tensor input, Backend backend) {
        int[] xs = input.shape();
        ConvGeometry g = ConvOps.geometry(input, weight, bias, options);
        ConvBackend conv = backend.conv();
        ConvBackend.Plan plan = conv.plan(g);
        var w = g.reduced() ? conv.cropWeight(plan, TensorData.storage(weight), weight.offset()) : TensorData.storage(weight);
        int wo = g.reduced() ? 0 : weight.offset();
        Entry e = new Entry(backend, conv.pack(plan, w, wo, bias == null ? null : TensorData.storage(bias),
                bias == null ? 0 : bias.offset()));
        packed.put(new Size(xs[1], xs[2], xs[3]), e);
        return e;
    }
}
