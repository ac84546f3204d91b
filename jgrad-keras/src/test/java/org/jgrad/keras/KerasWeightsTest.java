package org.jgrad.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link KerasWeights}: weights into a model whose layers carry Keras' names (as the zoo's Keras-layout
 * models do), converted by what each module is; and a weights file as a jgrad state dict.
 */
class KerasWeightsTest {
    /** Plain jgrad layers under the functional fixture's Keras layer names, forward not needed. */
    static final class NamedLikeKeras extends Module {
        NamedLikeKeras() {
            registerModule("stem_conv", new Conv2d(4, 8, 3, 3, Conv2dOptions.defaults().padding(1), false, null));
            registerModule("stem_bn", new BatchNorm2d(8));
            registerModule("dw", new Conv2d(8, 16, 3, 3, Conv2dOptions.defaults().padding(1).groups(8), true, null));
            registerModule("dw_bn", new BatchNorm2d(16));
            registerModule("proj", new Conv2d(8, 16, 1, 1, Conv2dOptions.defaults(), true, null));
            registerModule("dw_s2", new Conv2d(24, 24, 3, 3, Conv2dOptions.defaults().stride(2).groups(24), false, null));
            registerModule("logits", new Linear(24, 3, true, null));
        }

        @Override
        public Tensor forward(Tensor x) {
            throw new UnsupportedOperationException();
        }
    }

    /** ResNeXt's grouped convolution and MobileNet's classifier, as the zoo's Keras-layout models hold them. */
    static final class AppLayers extends Module {
        AppLayers() {
            registerModule("blk_2_conv", new Conv2d(8, 8, 3, 3, Conv2dOptions.defaults().padding(1).groups(4), false, null));
            registerModule("conv_preds", new Linear(8, 5, true, null));
        }

        @Override
        public Tensor forward(Tensor x) {
            return child("conv_preds").call(child("blk_2_conv").call(x).mean(new int[] {2, 3}, false));
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"app_layers.keras", "app_layers.weights.h5"})
    void depthwiseGroupedConvolutionAndOneByOneClassifierGiveKerasOutputs(String file) throws Exception {
        Module net = new AppLayers();
        KerasWeights.load(net, Fixtures.path(file));
        Fixtures.Io io = Fixtures.io("app_layers.io.safetensors");
        Tensor out;
        try (var g = org.jgrad.autograd.NoGrad.enter()) {
            out = net.call(io.channelsFirst());
        }
        assertArrayEquals(io.output().shape(), out.shape());
        double err = Fixtures.relativeError(out, io.output());
        System.out.printf("keras: %s (grouped _2_conv, group-sum _2_gconv skipped, 1x1 conv_preds into Linear): normwise "
                + "relative error %.2e%n", file, err);
        assertTrue(err <= 1e-5, file + ": normwise relative error " + err);
    }

    private static void assertSameTensors(Map<String, Tensor> want, Map<String, Tensor> got) {
        assertEquals(want.keySet(), got.keySet());
        for (String k : want.keySet()) {
            assertArrayEquals(want.get(k).shape(), got.get(k).shape(), k);
            if (want.get(k).dtype() == org.jgrad.tensor.DType.FLOAT32)
                assertArrayEquals(want.get(k).contiguous().toFloatArray(), got.get(k).contiguous().toFloatArray(), k);
        }
    }

    @Test
    void loadsIntoModulesNamedAsKerasLayersConvertingByModuleKind() throws Exception {
        var file = Fixtures.path("functional.keras");
        Module net = new NamedLikeKeras();
        KerasWeights.load(net, file);
        assertSameTensors(KerasConfigModel.load(file).stateDict(), net.stateDict());
    }

    @Test
    void aMissingLayerIsListedAndNothingChanges() throws Exception {
        Module net = new NamedLikeKeras();
        Tensor before = net.getSubmodule("stem_conv").parameter("weight").clone();
        var e = assertThrows(IllegalArgumentException.class,
                () -> KerasWeights.load(net, Fixtures.path("sequential_cnn.keras")));
        assertTrue(e.getMessage().contains("Missing key(s) in state_dict: \"stem_conv.weight\""), e.getMessage());
        assertTrue(e.getMessage().contains("Unexpected key(s) in state_dict:") && e.getMessage().contains("conv2d."),
                e.getMessage());
        assertArrayEquals(before.toFloatArray(), net.getSubmodule("stem_conv").parameter("weight").toFloatArray());
    }

    @Test
    void keras2WeightsOnlyFileConvertsByArrayNames() throws Exception {
        Map<String, Tensor> byNames = KerasWeights.read(Fixtures.path("sequential_cnn.weights.h5"));
        Map<String, Tensor> built = new java.util.LinkedHashMap<>(KerasConfigModel.load(Fixtures.path("sequential_cnn.keras")).stateDict());
        built.keySet().removeIf(k -> k.endsWith("num_batches_tracked"));
        assertSameTensors(built, byNames);
    }

    @Test
    void keras3WeightsOnlyFileLoadsIntoItsModelButDoesNotConvertAlone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var archive = Fixtures.path("sequential_cnn.keras");
        var weights = dir.resolve("model.weights.h5");
        try (var zip = new java.util.zip.ZipFile(archive.toFile())) {
            java.nio.file.Files.write(weights, zip.getInputStream(zip.getEntry("model.weights.h5")).readAllBytes());
        }
        assertEquals(KerasFile.Format.KERAS3_WEIGHTS, KerasFile.read(weights).format());
        KerasConfigModel net = KerasConfigModel.build(KerasFile.read(archive).config(), archive, "config.json");
        net.loadWeights(weights);
        assertSameTensors(KerasConfigModel.load(archive).stateDict(), net.stateDict());
        var e = assertThrows(KerasFormatException.class, () -> KerasWeights.read(weights));
        assertTrue(e.getMessage().contains("numbers its arrays without naming them"), e.getMessage());
    }
}
