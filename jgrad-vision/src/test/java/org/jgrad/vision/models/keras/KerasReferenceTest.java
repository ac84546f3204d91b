package org.jgrad.vision.models.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.io.SafeTensors;
import org.jgrad.io.SafeTensorsFile;
import org.jgrad.nn.Module;
import org.jgrad.nn.Summary;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.ZooModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each Keras-layout model, filled with the weights make_keras_fixtures.py gave Keras' own application
 * (weights=None, small input, 10 classes), gives Keras' logits for the same two images to a normwise
 * relative error of 1e-5 (Keras computed in float64). The fixtures are the weight list and the
 * input/logits, a few kB each; the weights themselves are drawn again from their seeds. Every
 * parameter and batch-norm statistic is matched to exactly one Keras weight by name.
 */
class KerasReferenceTest {

    static Path fixture(String file) throws URISyntaxException {
        return Path.of(KerasReferenceTest.class.getResource("fixtures/" + file).toURI());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Xception", "VGG16", "VGG19", "ResNet50", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2",
        "ResNet152V2", "ResNeXt50", "ResNeXt101", "InceptionV3", "InceptionResNetV2", "MobileNet", "MobileNetV2",
        "DenseNet121", "DenseNet169", "DenseNet201", "NASNetMobile", "NASNetLarge"})
    void logitsAreKeras(String name) throws Exception {
        check(name, fixture(name + ".weights.txt"), fixture(name + ".safetensors"), 1e-5);
    }

    /** Builds {@code keras.NAME} for the fixture's input and classes, fills it, runs it and compares; returns the error. */
    static double check(String name, Path manifest, Path io, double tolerance) throws Exception {
        SafeTensorsFile f = SafeTensors.load(io);
        Map<String, String> meta = f.metadata();
        int side = Integer.parseInt(meta.get("side")), classes = Integer.parseInt(meta.get("classes"));
        ZooModel e = ModelRegistry.get("keras." + name);
        Module model = e.create(e.argsFor(new int[] {3, side, side}, classes));
        List<KerasFixtures.Entry> weights = KerasFixtures.read(manifest);
        // keras-applications' ResNeXt counts its constant _2_gconv kernels, which are no weights here
        long constants = weights.stream().filter(w -> w.seed() == null)
                .mapToLong(w -> Arrays.stream(w.shape()).asLongStream().reduce(1, Math::multiplyExact)).sum();
        assertEquals(Long.parseLong(meta.get("total_params")) - constants, Summary.count(model, e.counting()).total(),
                "Keras' count_params() for this input and class count");
        KerasFixtures.load(model, weights);
        model.eval();
        Tensor input = f.tensors().get("input"), expected = f.tensors().get("logits");
        Tensor out;
        try (NoGrad g = NoGrad.enter()) {
            out = model.call(input);
        }
        assertArrayEquals(expected.shape(), out.shape());
        double err = KerasFixtures.relativeError(out.toFloatArray(), expected.toFloatArray());
        System.out.printf("keras.%s at %dx%d: normwise relative error %.2e%n", name, side, side, err);
        assertTrue(err <= tolerance, "keras." + name + ": relative error " + err + " > " + tolerance);
        return err;
    }
}
