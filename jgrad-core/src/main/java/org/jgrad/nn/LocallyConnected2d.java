package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.nn.init.Init;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * A locally connected layer, like Keras' {@code LocallyConnected2D}: a convolution whose filters are
 * not shared, so every output position has its own {@code outChannels × inChannels·kH·kW} weights.
 * "valid" padding only, a stride, a fixed input size (the weights are per position). Input
 * [N, C, H, W] (or [C, H, W]), output [N, F, outH, outW] with {@code out = ⌊(in − k)/s⌋ + 1}.
 *
 * <p>Parameters, {@code L = outH·outW} positions numbered row-major ({@code p = i·outW + j}):
 * <ul>
 * <li>{@code weight} [L, F, C·kH·kW], each position's filters laid out like a {@code Conv2d} weight
 *     flattened, the patch index running over (c, kh, kw), channel slowest, as {@code unfold} orders it;
 * <li>{@code bias} [L, F].
 * </ul>
 * For 32×32×3 inputs, 3×3 windows and 64 filters: 900 positions × 64 × 27 + 900 × 64 = 1,612,800
 * parameters, Keras' count.
 *
 * <p>Keras' kernel (implementation 1) is [L, kH·kW·C, F] with the patch index over (kh, kw, c),
 * channel fastest, and its bias [outH, outW, F]; so, in NumPy terms,
 * {@code weight = kernel.reshape(L, kH, kW, C, F).transpose(0, 4, 3, 1, 2).reshape(L, F, C*kH*kW)} and
 * {@code bias = keras_bias.reshape(L, F)}. The output is Keras' NHWC output transposed to NCHW.
 *
 * <p>Initialized as Keras does, there being no PyTorch layer to follow: Glorot uniform with the
 * fans Keras computes for its kernel shape, {@code fan_in = L·C·kH·kW}, {@code fan_out = L·F}, so
 * U(−√(6/(fan_in + fan_out)), +√(6/(fan_in + fan_out))); bias zero.
 *
 * <p>Built from strided slices, {@code stack} and a batched {@code matmul}, so autograd gives the gradient.
 */
public class LocallyConnected2d extends Module {
    private final int inChannels, outChannels, inH, inW, kernelH, kernelW, strideH, strideW, outH, outW;

    /** Square window, stride 1, with bias, initialized from {@link DefaultGenerator#get()}. */
    public LocallyConnected2d(int inChannels, int outChannels, int inH, int inW, int kernelSize) {
        this(inChannels, outChannels, inH, inW, kernelSize, kernelSize, 1, 1, true, DefaultGenerator.get());
    }

    /**
     * All settings; a null {@code gen} leaves the parameters zero for a caller that loads or
     * initializes them itself.
     *
     * @throws IllegalArgumentException naming the setting, when a size is not positive or the window
     *                                  is larger than the input
     */
    public LocallyConnected2d(int inChannels, int outChannels, int inH, int inW, int kernelH, int kernelW,
            int strideH, int strideW, boolean bias, Generator gen) {
        if (inChannels < 1 || outChannels < 1 || inH < 1 || inW < 1 || kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1)
            throw new IllegalArgumentException("LocallyConnected2d: sizes must be positive, got in_channels=" + inChannels
                    + ", out_channels=" + outChannels + ", input_size=(" + inH + ", " + inW + "), kernel_size=(" + kernelH
                    + ", " + kernelW + "), stride=(" + strideH + ", " + strideW + ")");
        if (kernelH > inH || kernelW > inW)
            throw new IllegalArgumentException("LocallyConnected2d: kernel_size (" + kernelH + ", " + kernelW
                    + ") is larger than the input (" + inH + ", " + inW + ") with \"valid\" padding");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.inH = inH;
        this.inW = inW;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.outH = (inH - kernelH) / strideH + 1;
        this.outW = (inW - kernelW) / strideW + 1;
        int positions = outH * outW, patch = inChannels * kernelH * kernelW;
        registerParameter("weight", Tensor.zeros(positions, outChannels, patch));
        registerParameter("bias", bias ? Tensor.zeros(positions, outChannels) : null);
        if (gen != null) resetParameters(gen);
    }

    /** Re-draws the weight with Keras' Glorot uniform (on its kernel's fans) and zeroes the bias. */
    public void resetParameters(Generator gen) {
        double positions = outH * outW;
        double fanIn = positions * inChannels * kernelH * kernelW, fanOut = positions * outChannels;
        double limit = Math.sqrt(6 / (fanIn + fanOut));
        Init.uniform(weight(), -limit, limit, gen);
        if (bias() != null) Init.zeros(bias());
    }

    /** The per-position filters, shape [outH·outW, out_channels, in_channels·kH·kW]. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** The per-position bias [outH·outW, out_channels], or null without bias. */
    public Tensor bias() {
        return parameter("bias");
    }

    /** The output's spatial size {@code {outH, outW}}. */
    public int[] outputSize() {
        return new int[] {outH, outW};
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 3) return forward(input.unsqueeze(0)).squeeze(0);
        if (input.dim() != 4 || input.size(1) != inChannels || input.size(2) != inH || input.size(3) != inW)
            throw new IllegalArgumentException("LocallyConnected2d: expected input [N, " + inChannels + ", " + inH + ", " + inW
                    + "] (or [" + inChannels + ", " + inH + ", " + inW + "]), got " + Arrays.toString(input.shape()));
        int n = input.size(0), positions = outH * outW;
        // columns [N, C, kH·kW, outH, outW]: one strided slice per window offset
        Tensor[] taps = new Tensor[kernelH * kernelW];
        for (int a = 0; a < kernelH; a++)
            for (int b = 0; b < kernelW; b++)
                taps[a * kernelW + b] = input.slice(2, a, a + strideH * (outH - 1) + 1, strideH)
                        .slice(3, b, b + strideW * (outW - 1) + 1, strideW);
        Tensor cols = Tensor.stack(2, taps).reshape(n, inChannels * kernelH * kernelW, positions);
        // per position: [N, K] @ [K, F]
        Tensor out = cols.permute(2, 0, 1).matmul(weight().transpose(1, 2));    // [L, N, F]
        if (bias() != null) out = out.add(bias().unsqueeze(1));
        return out.permute(1, 2, 0).reshape(n, outChannels, outH, outW);
    }

    @Override
    public String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=" + PyTuple.of(kernelH, kernelW) + ", stride="
                + PyTuple.of(strideH, strideW) + ", input_size=" + PyTuple.of(inH, inW) + ", bias=" + PyRepr.pyBool(bias() != null);
    }
}
