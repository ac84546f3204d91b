package org.jgrad.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Models Keras saved (make_keras_io_fixtures.py) load from their files alone and give Keras' outputs. */
class KerasConfigModelTest {
    private static void assertKerasOutputs(KerasConfigModel net, String ioName) throws Exception {
        Fixtures.Io io = Fixtures.io(ioName);
        Tensor out;
        try (var g = NoGrad.enter()) {
            out = net.call(io.channelsFirst());
        }
        assertArrayEquals(io.output().shape(), out.shape());
        double err = Fixtures.relativeError(out, io.output());
        assertTrue(err <= 1e-5, ioName + ": normwise relative error " + err);
    }

    @Test
    void sequentialCnnLoadsFromItsKerasFileAlone() throws Exception {
        KerasConfigModel net = KerasConfigModel.load(Fixtures.path("sequential_cnn.keras"));
        assertEquals("Sequential", net.kerasClass());
        assertTrue(!net.isTraining(), "loaded for inference");
        assertKerasOutputs(net, "sequential_cnn.io.safetensors");
    }

    @Test
    void keras2FullModelH5GivesTheSameOutputs() throws Exception {
        KerasFile f = KerasFile.read(Fixtures.path("sequential_cnn.h5"));
        assertEquals(KerasFile.Format.H5_FULL_MODEL, f.format());
        assertEquals("kernel", f.layers().get("conv2d").names().getFirst());
        assertKerasOutputs(KerasConfigModel.load(Fixtures.path("sequential_cnn.h5")), "sequential_cnn.io.safetensors");
    }

    @Test
    void keras2WeightsOnlyH5LoadsIntoTheModelBuiltFromTheConfig() throws Exception {
        KerasFile f = KerasFile.read(Fixtures.path("sequential_cnn.weights.h5"));
        assertEquals(KerasFile.Format.H5_WEIGHTS, f.format());
        KerasConfigModel net = KerasConfigModel.build(KerasFile.read(Fixtures.path("sequential_cnn.keras")).config(),
                Path.of("config"), "config.json");
        net.loadWeights(Fixtures.path("sequential_cnn.weights.h5"));
        net.eval();
        assertKerasOutputs(net, "sequential_cnn.io.safetensors");
    }

    @Test
    void functionalModelWithBranchesGivesKerasOutputs() throws Exception {
        KerasConfigModel net = KerasConfigModel.load(Fixtures.path("functional.keras"));
        assertEquals("Functional", net.kerasClass());
        assertKerasOutputs(net, "functional.io.safetensors");
    }

    @Test
    void separableConvolutionsAndSamePoolingGiveKerasOutputs() throws Exception {
        assertKerasOutputs(KerasConfigModel.load(Fixtures.path("separable.keras")), "separable.io.safetensors");
    }

    @Test
    void weightsAreMappedToJgradLayouts() throws Exception {
        KerasFile f = KerasFile.read(Fixtures.path("functional.keras"));
        KerasConfigModel net = KerasConfigModel.load(Fixtures.path("functional.keras"));
        Map<String, Tensor> sd = net.stateDict();
        // Conv2D: HWIO [3, 3, 4, 8] → OIHW [8, 4, 3, 3], element [o, i, y, x] = kernel[y, x, i, o].
        Tensor k = f.layers().get("stem_conv").arrays().getFirst();
        Tensor w = sd.get("stem_conv.weight");
        assertArrayEquals(new int[] {8, 4, 3, 3}, w.shape());
        assertEquals(k.get(2, 1, 3, 5), w.get(5, 3, 2, 1));
        // DepthwiseConv2D, multiplier 2: [3, 3, 8, 2] → [16, 1, 3, 3], channel c·2 + m.
        Tensor dk = f.layers().get("dw").arrays().getFirst();
        Tensor dwt = sd.get("dw.weight");
        assertArrayEquals(new int[] {16, 1, 3, 3}, dwt.shape());
        assertEquals(dk.get(0, 2, 5, 1), dwt.get(11, 0, 0, 2));
        // Dense [24, 3] → [3, 24]; BN moving statistics → running buffers.
        assertEquals(f.layers().get("logits").arrays().getFirst().get(7, 2), sd.get("logits.weight").get(2, 7));
        assertEquals(f.layers().get("stem_bn").arrays().get(2).get(4), sd.get("stem_bn.running_mean").get(4));
        assertEquals(f.layers().get("stem_bn").arrays().get(3).get(4), sd.get("stem_bn.running_var").get(4));
    }

    @Test
    void inputInKerasLayoutIsRefusedWithTheConversion() throws Exception {
        KerasConfigModel net = KerasConfigModel.load(Fixtures.path("sequential_cnn.keras"));
        var e = assertThrows(IllegalArgumentException.class, () -> net.call(Tensor.zeros(1, 12, 10, 3)));
        assertTrue(e.getMessage().contains("permute(0, 3, 1, 2)"), e.getMessage());
    }
}
