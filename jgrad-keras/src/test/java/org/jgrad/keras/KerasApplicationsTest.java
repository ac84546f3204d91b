package org.jgrad.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.ModelRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keras Applications ResNet50, MobileNetV2 and DenseNet121, saved by Keras (weights=None, seeded, random
 * batch-norm statistics, logits out), load from their {@code .keras} files alone, and into the zoo's
 * Keras-layout models ({@code keras.ResNet50}, ...) by {@link KerasWeights#load}, and both give Keras'
 * outputs for a seeded batch of two images at the model's default size; MobileNet and ResNeXt50 (and
 * any application named by {@code -Djgrad.keras.zoo}) into the zoo's models. The files are about 100 MB in all, so they are not committed: the
 * test writes them with {@code make_keras_io_fixtures.py --apps} (needs TensorFlow and Keras; the
 * interpreter is {@code -Djgrad.keras.python}, default {@code python3}) into {@code -Djgrad.keras.apps}
 * (default {@code target/keras-apps}) unless they are there. Minutes, so only with
 * {@code -Djgrad.long=true}:
 * {@code ./mvnw -pl jgrad-keras -am test -Djgrad.long=true -Dtest=KerasApplicationsTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "jgrad.long", matches = "true")
class KerasApplicationsTest {
    private static Path ensure(String name) throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("jgrad.keras.apps", "target/keras-apps"));
        Path keras = dir.resolve(name + ".keras"), io = dir.resolve(name + ".io.safetensors");
        if (Files.exists(keras) && Files.exists(io) && Files.exists(dir.resolve(name + ".weights.h5"))) return dir;
        Files.createDirectories(dir);
        String python = System.getProperty("jgrad.keras.python", "python3");
        Path script = Fixtures.path("make_keras_io_fixtures.py");
        Process p = new ProcessBuilder(python, script.toString(), "--apps", dir.toString(), name)
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        boolean done = p.waitFor(20, TimeUnit.MINUTES);
        Assumptions.assumeTrue(done && p.exitValue() == 0 && Files.exists(io), "Keras could not write " + name
                + " (TensorFlow and Keras needed; see " + dir.resolve(name + ".log") + "); skipped");
        return dir;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ResNet50", "MobileNetV2", "DenseNet121"})
    void loadsFromItsKerasFileAndGivesKerasOutputs(String name) throws Exception {
        Path dir = ensure(name);
        long t0 = System.nanoTime();
        KerasConfigModel net = KerasConfigModel.load(dir.resolve(name + ".keras"));
        long loaded = System.nanoTime();
        Fixtures.Io io = Fixtures.io(dir.resolve(name + ".io.safetensors"));
        Tensor out;
        try (var g = NoGrad.enter()) {
            out = net.call(io.channelsFirst());
        }
        long ran = System.nanoTime();
        assertArrayEquals(io.output().shape(), out.shape());
        double err = Fixtures.relativeError(out, io.output());
        System.out.printf("%s: %d parameters, loaded in %.1f s, forward (2 images) %.1f s, normwise relative error %.2e%n",
                name, net.parameters().stream().mapToLong(Tensor::numel).sum(), (loaded - t0) / 1e9,
                (ran - loaded) / 1e9, err);
        assertTrue(err <= 1e-5, name + ": normwise relative error " + err);
    }

    /**
     * The same weights into {@code keras.<name>} of the zoo, from the {@code .keras} archive and from the
     * Keras 2 weights-only file (the layout of the files keras.applications downloads).
     */
    /**
     * The applications loaded into the zoo: {@code -Djgrad.keras.zoo=Name,Name} (any keras.applications name;
     * ResNeXt50 is keras-applications' own), by default those whose layers the zoo holds in each form there
     * is: ResNet50, MobileNetV2, DenseNet121, MobileNet (its 1×1 {@code conv_preds}) and ResNeXt50 (its
     * depthwise {@code _2_conv} and constant {@code _2_gconv}).
     */
    static java.util.List<String> zooNames() {
        return java.util.List.of(System.getProperty("jgrad.keras.zoo", "ResNet50,MobileNetV2,DenseNet121,MobileNet,ResNeXt50")
                .split(","));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("zooNames")
    void loadsIntoTheZoosKerasLayoutModelAndGivesKerasOutputs(String name) throws Exception {
        Path dir = ensure(name);
        Fixtures.Io io = Fixtures.io(dir.resolve(name + ".io.safetensors"));
        for (String file : new String[] {name + ".keras", name + ".weights.h5"}) {
            Module net = ModelRegistry.get("keras." + name).create();
            long t0 = System.nanoTime();
            KerasWeights.load(net, dir.resolve(file));
            long loaded = System.nanoTime();
            net.eval();
            Tensor out;
            try (var g = NoGrad.enter()) {
                out = net.call(io.channelsFirst());
            }
            long ran = System.nanoTime();
            assertArrayEquals(io.output().shape(), out.shape());
            double err = Fixtures.relativeError(out, io.output());
            System.out.printf("keras.%s (zoo) from %s: weights loaded in %.1f s, forward (2 images) %.1f s, normwise "
                    + "relative error %.2e%n", name, file, (loaded - t0) / 1e9, (ran - loaded) / 1e9, err);
            assertTrue(err <= 1e-5, "keras." + name + " from " + file + ": normwise relative error " + err);
        }
    }
}
