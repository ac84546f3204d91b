package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.io.SafeTensors;
import org.jgrad.io.Weights;
import org.jgrad.nn.Module;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.transforms.Normalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole models saved from code and loaded back by name, arguments, shape, classes and normalisation. */
class SavedModelTest {
    @TempDir
    Path dir;

    private static Tensor out(Module m, Tensor x) {
        try (NoGrad g = NoGrad.enter()) {
            return m.eval().call(x);
        }
    }

    @Test
    void aModelSavedFromCodeComesBackWholeAndComputesTheSame() throws IOException {
        DefaultGenerator.manualSeed(3);
        ModelInfo info = ModelInfo.of("mlp", new int[] {1, 8, 8}, 3)
                .withClassNames(List.of("a", "b", "c"))
                .withNormalization(Normalization.of(Tensor.of(0.25f), Tensor.of(0.5f)))
                .withDataset("digits");
        Module net = info.create();
        Path f = dir.resolve("m.safetensors");
        SavedModel.save(net, info, f, Map.of("note", "from a test"));

        Map<String, String> meta = SafeTensors.load(f).metadata();
        assertEquals("mlp", meta.get("jgrad.model"));
        assertEquals("64", meta.get("jgrad.model_args.in_features"));
        assertEquals("256,128", meta.get("jgrad.model_args.hidden"));
        assertEquals("0.25", meta.get("jgrad.normalize.mean"));

        SavedModel back = SavedModel.load(f);
        assertEquals(info, back.info());
        assertEquals("from a test", back.metadata().get("note"));
        assertFalse(back.model().isTraining(), "loaded in evaluation mode");
        Tensor x = Tensor.rand(new Generator(1), 2, 1, 8, 8);
        assertArrayEquals(out(net, x).toFloatArray(), out(back.model(), x).toFloatArray(), 0f);
    }

    @Test
    void nonDefaultArgumentsRebuildTheSameArchitecture() throws IOException {
        ZooModel mlp = ModelRegistry.get("mlp");
        ModelArgs args = mlp.args(Map.of("in_features", 5, "hidden", new int[] {7}, "num_classes", 2));
        ModelInfo info = new ModelInfo("mlp", args, new int[] {5}, List.of("no", "yes"), Normalization.NONE, "");
        Path f = dir.resolve("custom.safetensors");
        SavedModel.save(info.create(), info, f);
        SavedModel back = SavedModel.load(f);
        assertArrayEquals(new int[] {7}, back.info().args().getInts("hidden"));
        assertEquals(5L * 7 + 7 + 7 * 2 + 2, back.model().parameters().stream().mapToLong(Tensor::numel).sum());
    }

    @Test
    void weightsWithoutModelMetadataAreRefusedClearlyOrLoadedWithTheInfoGiven() throws IOException {
        ModelInfo info = ModelInfo.of("lenet5", new int[] {1, 28, 28}, 10);
        Module net = info.create();
        Path f = dir.resolve("weights.safetensors");
        Weights.save(net, f);
        MissingModelInfoException e = assertThrows(MissingModelInfoException.class, () -> SavedModel.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("jgrad.model")
                && e.getMessage().contains("--model"), e.getMessage());
        SavedModel back = SavedModel.load(f, info);
        Tensor x = Tensor.rand(new Generator(2), 1, 1, 28, 28);
        assertArrayEquals(out(net, x).toFloatArray(), out(back.model(), x).toFloatArray(), 0f);
        // the wrong model for the tensors: named, with what did not fit
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> SavedModel.load(f, ModelInfo.of("lenet5", new int[] {1, 28, 28}, 7)));
        assertTrue(wrong.getMessage().contains("lenet5 with 7 classes") && wrong.getMessage().contains("do not describe these weights"),
                wrong.getMessage());
        assertThrows(FileNotFoundException.class, () -> SavedModel.load(dir.resolve("none.safetensors")));
    }

    @Test
    void filesFromEarlierJgradTrainWithoutArgumentsStillLoad() throws IOException {
        // what jgrad train wrote before the registry: no jgrad.model_args.*, no normalisation
        Module net = ModelInfo.of("mlp", new int[] {1, 8, 8}, 10).create();
        Path f = dir.resolve("old.safetensors");
        Weights.save(net, f, Map.of("jgrad.model", "mlp", "jgrad.num_classes", "10", "jgrad.in_channels", "1",
                "jgrad.input_shape", "1x8x8", "jgrad.dataset", "digits"));
        SavedModel back = SavedModel.load(f);
        assertEquals(64, back.info().args().getInt("in_features"));
        assertEquals(ModelInfo.defaultClassNames(10), back.info().classNames());
        assertTrue(back.info().normalization().isNone());
    }

    @Test
    void malformedOrUnknownMetadataIsNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ModelInfo.fromMetadata(Map.of("jgrad.model", "resnet20"), "x.safetensors"));
        assertTrue(unknown.getMessage().contains("x.safetensors") && unknown.getMessage().contains("ModelRegistry.register"),
                unknown.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ModelInfo.fromMetadata(
                Map.of("jgrad.model", "mlp", "jgrad.model_args.hidden", "a,b"), "y.safetensors"));
        assertTrue(bad.getMessage().contains("y.safetensors") && bad.getMessage().contains("hidden"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SavedModel.save(null, ModelInfo.of("mlp", new int[] {4}, 2),
                Path.of("unused"), Map.of("jgrad.model_args.x", "1")));
    }
}
