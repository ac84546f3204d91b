package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Flatten;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.keras.KerasZoo;
import org.junit.jupiter.api.Test;

/** The one entry per zoo model: lookup, arguments, input fitting, counted parameters, registration. */
class ModelRegistryTest {

    @Test
    void everyEntryBuildsFromItsDefaultsAtItsDefaultInput() {
        for (ZooModel e : ModelRegistry.all()) {
            assertTrue(!e.description().isBlank(), e.name());
            assertEquals(e.defaultInputShape().length == 3 ? 3 : 1, e.defaultInputShape().length, e.name());
            assertArrayEquals(e.defaultInputShape(), e.fitInput(e.defaultInputShape()), e.name() + " takes its own default input");
            assertTrue(e.params().stream().anyMatch(p -> p.name().equals(ZooModel.NUM_CLASSES)), e.name());
        }
        // 28 originals, 9 torchvision-layout and 5 timm-layout entries, and the Keras layouts
        assertEquals(28 + 9 + 5 + KerasZoo.entries().size(), BuiltInModels.all().size());
    }

    @Test
    void lookupIsCaseInsensitiveAndUnknownNamesListTheKnownOnes() {
        assertEquals("resnet18", ModelRegistry.get(" ResNet18 ").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelRegistry.get("resnet20"));
        assertTrue(e.getMessage().contains("'resnet20'") && e.getMessage().contains("vgg16_bn"), e.getMessage());
    }

    @Test
    void argumentsAreCheckedByNameAndType() {
        ZooModel vgg = ModelRegistry.get("vgg11");
        assertEquals(0.2, vgg.args(Map.of("dropout", 0.2)).getDouble("dropout"));
        assertEquals(0.0, vgg.args(Map.of("dropout", 0)).getDouble("dropout"), "an integer where a number is expected");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> vgg.args(Map.of("depth", 11)));
        assertTrue(unknown.getMessage().contains("'depth'") && unknown.getMessage().contains("num_classes, in_channels, dropout"),
                unknown.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> vgg.args(Map.of("num_classes", "ten")));
        assertTrue(type.getMessage().contains("num_classes") && type.getMessage().contains("integer"), type.getMessage());
        ZooModel mlp = ModelRegistry.get("mlp");
        ModelArgs parsed = mlp.parseArgs(Map.of("hidden", "32,16", "num_classes", "3", "in_features", "4"));
        assertArrayEquals(new int[] {32, 16}, parsed.getInts("hidden"));
        assertEquals(Map.of("num_classes", "3", "in_features", "4", "hidden", "32,16"), parsed.toStrings());
        assertThrows(IllegalArgumentException.class, () -> mlp.parseArgs(Map.of("hidden", "32;16")));
    }

    @Test
    void argsForAnInputFillClassesChannelsAndTheMlpsFeatures() {
        ModelArgs lenet = ModelRegistry.get("lenet5").argsFor(new int[] {3, 28, 28}, 7);
        assertEquals(7, lenet.getInt("num_classes"));
        assertEquals(3, lenet.getInt("in_channels"));
        ZooModel mlp = ModelRegistry.get("mlp");
        ModelArgs digits = mlp.argsFor(new int[] {1, 8, 8}, 10);
        assertEquals(64, digits.getInt("in_features"));
        assertArrayEquals(new int[] {256, 128}, digits.getInts("hidden"));
        ModelArgs mnist = mlp.argsFor(new int[] {1, 28, 28}, 10);
        assertArrayEquals(new int[] {500, 250, 125}, mnist.getInts("hidden"));
        assertEquals(4, mlp.argsFor(new int[] {4}, 3).getInt("in_features"), "iris: 4 features");
    }

    @Test
    void inputSizesFitDataToWhatEachModelTakes() {
        assertArrayEquals(new int[] {1, 28, 28}, ModelRegistry.get("lenet5").fitInput(new int[] {1, 8, 8}));
        assertArrayEquals(new int[] {1, 32, 32}, ModelRegistry.get("lenet5_classic").fitInput(new int[] {1, 28, 28}));
        assertArrayEquals(new int[] {3, 64, 100}, ModelRegistry.get("alexnet").fitInput(new int[] {3, 32, 100}));
        assertArrayEquals(new int[] {1, 32, 32}, ModelRegistry.get("resnet18").fitInput(new int[] {1, 28, 28}));
        assertArrayEquals(new int[] {1, 28, 28}, ModelRegistry.get("vgg_small_bn").fitInput(new int[] {1, 8, 8}));
        assertArrayEquals(new int[] {4}, ModelRegistry.get("mlp").fitInput(new int[] {4}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelRegistry.get("lenet5").fitInput(new int[] {4}));
        assertTrue(e.getMessage().contains("takes images") && e.getMessage().contains("--model mlp"), e.getMessage());
    }

    @Test
    void parameterCountsComeFromTheBuiltModelAndLeaveTheGeneratorAlone() {
        ZooModel lenet = ModelRegistry.get("lenet5");
        DefaultGenerator.manualSeed(5);
        float[] first = lenet.create().parameters().get(0).toFloatArray();
        DefaultGenerator.manualSeed(5);
        assertEquals(61_706, lenet.parameterCount(lenet.defaultArgs()));
        float[] second = lenet.create().parameters().get(0).toFloatArray();
        assertArrayEquals(first, second, "counting parameters drew no random numbers from the default generator");
        long n = 0;
        for (Tensor p : ModelRegistry.get("mlp").create(ModelRegistry.get("mlp").argsFor(new int[] {1, 8, 8}, 10)).parameters())
            n += p.numel();
        assertEquals(64L * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, n);
        assertEquals(n, ModelRegistry.get("mlp").parameterCount(ModelRegistry.get("mlp").argsFor(new int[] {1, 8, 8}, 10)));
    }

    @Test
    void aProgramRegistersItsOwnModelOnce() {
        ZooModel tiny = ZooModel.builder("registry_test_tiny")
                .description("a linear classifier over 2 features")
                .param("num_classes", 2, "classes").param("in_features", 2, "features")
                .input(2)
                .argsForInput((shape, a) -> a.with("in_features", shape[0]))
                .factory(a -> new Sequential(new Flatten(), new Linear(a.getInt("in_features"), a.getInt("num_classes"))))
                .build();
        ModelRegistry.register(tiny);
        assertEquals(tiny, ModelRegistry.get("REGISTRY_TEST_TINY"));
        assertTrue(ModelRegistry.names().contains("registry_test_tiny"));
        Module m = ModelRegistry.get("registry_test_tiny").create(tiny.argsFor(new int[] {5}, 3));
        assertEquals(List.of(3, 5), List.of(((Linear) m.getSubmodule("1")).outFeatures(), ((Linear) m.getSubmodule("1")).inFeatures()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelRegistry.register(tiny));
        assertTrue(e.getMessage().contains("already registered"), e.getMessage());
    }
}
