package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jgrad.autograd.GradCheck;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.ops.ConvOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Depthwise convolution (Conv2d with groups == in_channels, which runs on the depthwise kernel) and
 * SeparableConv2d against PyTorch's values and gradients, plus gradient checks.
 */
class DepthwiseSeparableConvTest {

    private static final Map<String, Object[]> DEPTHWISE_CASES = Map.of(
            // tag -> {channels, multiplier, options}
            "a", new Object[] {3, 2, Conv2dOptions.defaults().stride(2).padding(1).groups(3)},
            "b", new Object[] {4, 1, Conv2dOptions.defaults().padding(2, 1).dilation(2).groups(4)},
            "c", new Object[] {5, 1, Conv2dOptions.defaults().padding(1).groups(5)});

    @Test
    void depthwiseConvMatchesTorch() {
        Map<String, Tensor> f = ZooFixtures.load("depthwise_conv2d");
        for (var e : DEPTHWISE_CASES.entrySet()) {
            String t = e.getKey();
            Conv2dOptions o = (Conv2dOptions) e.getValue()[2];
            boolean hasBias = f.containsKey(t + ".bias");
            Tensor x = f.get(t + ".x").copy().requiresGrad(true), w = f.get(t + ".weight").copy().requiresGrad(true);
            Tensor b = hasBias ? f.get(t + ".bias").copy().requiresGrad(true) : null;
            Tensor y = ConvOps.conv2d(x, w, b, o);
            y.mul(f.get(t + ".gy")).sum().backward();
            ZooFixtures.assertClose(f.get(t + ".y"), y, 1e-5, 1e-5, "depthwise " + t + " output");
            ZooFixtures.assertClose(f.get(t + ".gx"), x.grad(), 1e-5, 1e-5, "depthwise " + t + " input gradient");
            ZooFixtures.assertClose(f.get(t + ".gweight"), w.grad(), 1e-4, 1e-5, "depthwise " + t + " weight gradient");
            if (hasBias) ZooFixtures.assertClose(f.get(t + ".gbias"), b.grad(), 1e-4, 1e-5, "depthwise " + t + " bias gradient");
        }
    }

    @Test
    void depthwiseConvGradientCheck() {
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, 2, 3, 6, 5).requiresGrad(true), w = Tensor.randn(g, 6, 1, 3, 3).requiresGrad(true);
        Tensor b = Tensor.randn(g, 6).requiresGrad(true);
        Conv2dOptions o = Conv2dOptions.defaults().stride(2, 1).padding(1, 2, 0, 1).dilation(1, 2).groups(3);
        GradCheck.assertGradients(in -> ConvOps.conv2d(in[0], in[1], in[2], o), x, w, b);
    }

    @Test
    void separableConvMatchesTorchWithTensorflowSamePadding() {
        Map<String, Tensor> f = ZooFixtures.load("separable_conv2d");
        SeparableConv2d s = SeparableConv2d.builder(3, 4, 3).stride(2).padding("same").depthMultiplier(2).build();
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String k : new String[] {"conv_dw.weight", "conv_pw.weight", "conv_pw.bias"}) state.put(k, f.get(k));
        s.loadStateDict(state, true);
        Tensor[] yg = ZooFixtures.forwardBackward(s::call, f.get("x"), f.get("gy"));
        ZooFixtures.assertClose(f.get("y"), yg[0], 1e-5, 1e-5, "separable output");
        ZooFixtures.assertClose(f.get("gx"), yg[1], 1e-5, 1e-5, "separable input gradient");
        for (String k : state.keySet())
            ZooFixtures.assertClose(f.get("g" + k), s.namedParameters().get(k).grad(), 1e-4, 1e-5, "separable " + k + " gradient");
    }

    @Test
    void separableConvCountsShapesAndNames() {
        // Xception's block-2 convolution: 128·9 + 128·256 parameters, no bias (Keras' use_bias=False).
        SeparableConv2d s = SeparableConv2d.builder(128, 256, 3).padding("same").bias(false).build();
        assertEquals(128 * 9 + 128 * 256, s.parameters().stream().mapToLong(Tensor::numel).sum());
        assertArrayEquals(new int[] {2, 256, 19, 19}, s.call(Tensor.zeros(2, 128, 19, 19)).shape());
        assertArrayEquals(new int[] {256, 128, 1, 1}, s.pointwise().weight().shape());
        // Keras' defaults: "valid", bias on the pointwise convolution only
        SeparableConv2d k = new SeparableConv2d(3, 5, 3);
        assertEquals(27 + 15 + 5, k.parameters().stream().mapToLong(Tensor::numel).sum());
        assertArrayEquals(new int[] {1, 5, 4, 6}, k.call(Tensor.zeros(1, 3, 6, 8)).shape());
        // timm's legacy Xception names
        SeparableConv2d named = SeparableConv2d.builder(4, 8, 3).padding(1).bias(false).names("conv1", "pointwise").build();
        assertEquals(java.util.List.of("conv1.weight", "pointwise.weight"), java.util.List.copyOf(named.stateDict().keySet()));
        // "same" with a stride: ⌈in/s⌉ per axis
        SeparableConv2d st = SeparableConv2d.builder(2, 3, 3).stride(2).padding("same").build();
        assertArrayEquals(new int[] {1, 3, 4, 5}, st.call(Tensor.zeros(1, 2, 7, 10)).shape());
        assertEquals("2, 3, kernel_size=(3, 3), stride=(2, 2), padding=same", st.extraRepr());
    }

    @Test
    void separableConvRejectsBadSettingsAndInputs() {
        assertThrows(IllegalArgumentException.class, () -> SeparableConv2d.builder(3, 4, 3).padding("full"));
        assertThrows(IllegalArgumentException.class, () -> SeparableConv2d.builder(3, 4, 3).depthMultiplier(0).build());
        assertThrows(IllegalArgumentException.class, () -> SeparableConv2d.builder(3, 4, 3).names("a", "a").build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SeparableConv2d(3, 4, 3).call(Tensor.zeros(1, 2, 5, 5)));
        assertTrue(e.getMessage().contains("[1, 2, 5, 5]"), e.getMessage());
        assertArrayEquals(new int[] {0, 1}, SeparableConv2d.samePadding(8, 3, 2, 1));
        assertArrayEquals(new int[] {1, 1}, SeparableConv2d.samePadding(7, 3, 2, 1));
        assertArrayEquals(new int[] {2, 2}, SeparableConv2d.samePadding(5, 3, 1, 2));
    }

    @Test
    void separableConvGradientCheck() {
        SeparableConv2d s = SeparableConv2d.builder(2, 3, 3).stride(2).padding("same").depthMultiplier(2)
                .generator(new Generator(3)).build();
        Tensor x = Tensor.randn(new Generator(4), 1, 2, 5, 6).requiresGrad(true);
        GradCheck.assertGradients(in -> s.call(in[0]), x);
    }
}
