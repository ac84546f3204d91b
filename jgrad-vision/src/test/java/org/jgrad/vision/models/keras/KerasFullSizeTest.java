package org.jgrad.vision.models.keras;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link KerasReferenceTest} at full size: each model at its default input (224, 299 or 331 pixels)
 * with 1000 classes, against Keras' own application run by make_keras_fixtures.py {@code --full}
 * when the test runs (TensorFlow and Keras: {@code JGRAD_KERAS_PYTHON} names the interpreter, default
 * {@code python3}; without them the test is skipped, saying so). Minutes per model, so only with
 * {@code -Djgrad.long=true}:
 * {@code ./mvnw -pl jgrad-vision -am test -Djgrad.long=true -Dtest=KerasFullSizeTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "jgrad.long", matches = "true")
class KerasFullSizeTest {
    @TempDir
    static Path dir;
    private static boolean haveKeras;

    private static String python() {
        String p = System.getenv("JGRAD_KERAS_PYTHON");
        return p != null && !p.isBlank() ? p : "python3";
    }

    private static boolean run(Path log, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(1800, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    @BeforeAll
    static void findKeras() throws Exception {
        haveKeras = run(dir.resolve("probe.log"), python(), "-c", "import keras, tensorflow, safetensors");
        try (InputStream in = KerasFullSizeTest.class.getResourceAsStream("make_keras_fixtures.py")) {
            Files.copy(in, dir.resolve("make_keras_fixtures.py"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Xception", "VGG16", "VGG19", "ResNet50", "ResNet101", "ResNet152", "ResNet50V2",
        "ResNet101V2", "ResNet152V2", "ResNeXt50", "ResNeXt101", "InceptionV3", "InceptionResNetV2", "MobileNet",
        "MobileNetV2", "DenseNet121", "DenseNet169", "DenseNet201", "NASNetMobile", "NASNetLarge"})
    void fullSizeLogitsAreKeras(String name) throws Exception {
        assumeTrue(haveKeras, "skipped: " + python() + " cannot import keras, tensorflow and safetensors "
                + "(set JGRAD_KERAS_PYTHON to an interpreter that can)");
        Path log = dir.resolve(name + ".log");
        if (!run(log, python(), dir.resolve("make_keras_fixtures.py").toString(), dir.toString(), "--full", name))
            throw new AssertionError("make_keras_fixtures.py failed:\n" + Files.readString(log));
        KerasReferenceTest.check(name, dir.resolve(name + ".weights.txt"), dir.resolve(name + ".safetensors"), 1e-5);
    }
}
