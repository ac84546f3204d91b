package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.io.SafeTensors;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The demos' models against the same networks built in PyTorch (make_demo_model_fixtures.py): PyTorch's
 * state dict loads unchanged (strict: every name and shape matches) and the eval-mode outputs agree.
 */
class DemoModelsFromPyTorchTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"spectrogram_cnn, 10, 1", "two_stream, 8, 8", "lstm, 11, 1", "gru, 11, 1", "lstm_classifier, 3, 1", "transformer, 11, 1",
        "transformer_classifier, 3, 1"})
    void pytorchWeightsLoadUnchangedAndGiveTheSameOutputs(String name, int classes, int channels) throws Exception {
        Path f = Path.of(DemoModelsFromPyTorchTest.class.getResource("demo_models.safetensors").toURI());
        Map<String, Tensor> all = SafeTensors.load(f).tensors();
        Map<String, Tensor> state = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(name + ".") && !k.equals(name + ".input") && !k.equals(name + ".output"))
                state.put(k.substring(name.length() + 1), v);
        });
        ZooModel e = ModelRegistry.get(name);
        var args = e.defaultArgs().with(ZooModel.NUM_CLASSES, classes);
        if (args.has(ZooModel.IN_CHANNELS)) args = args.with(ZooModel.IN_CHANNELS, channels);
        switch (name) {
            case "lstm", "gru" -> args = args.with("embedding", 6).with("hidden", 8).with("layers", 2);
            case "lstm_classifier" -> args = args.with("vocab", 12).with("embedding", 5).with("hidden", 7);
            case "transformer" -> args = small(args);
            case "transformer_classifier" -> args = small(args).with("vocab", 12);
            default -> { }
        }
        Module m = e.create(args);
        m.loadStateDict(state);
        m.eval();
        Tensor expected = all.get(name + ".output");
        try (var ng = NoGrad.enter()) {
            Tensor got = m.call(all.get(name + ".input"));
            assertArrayEquals(expected.shape(), got.shape(), name);
            double err = relError(got.contiguous().toFloatArray(), expected.contiguous().toFloatArray());
            assertTrue(err <= 1e-5, name + ": relative error " + err);
        }
    }

    private static ModelArgs small(ModelArgs a) {
        return a.with("d_model", 8).with("heads", 2).with("feedforward", 16).with("layers", 2).with("context", 10);
    }

    private static double relError(float[] a, float[] b) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (double) (a[i] - b[i]) * (a[i] - b[i]);
            den += (double) b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }
}
