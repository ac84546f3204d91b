package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.io.SafeTensorsFile;
import org.jgrad.nn.LoadResult;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The timm-layout models (Xception, MobileNet v1, ResNet-50 v2, Inception-ResNet-v2, NASNet-A
 * Large) against timm itself: each fixture (written by make_timm_zoo_fixtures.py with timm) lists
 * timm's state dict, names and shapes in timm's order; the test rebuilds that state dict from the
 * weight formula both sides compute ({@link FormulaWeights}), loads it strictly into the jgrad model
 * unchanged, and compares the logits with timm's. Small inputs here; full-size inputs behind
 * {@code -Djgrad.long=true}:
 * {@code ./mvnw -pl jgrad-vision -am test -Djgrad.long=true -Dtest=TimmZooTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class TimmZooTest {
    private static final List<String> MODELS = List.of("xception", "mobilenetv1_100", "resnetv2_50", "inception_resnet_v2",
            "nasnetalarge");

    @Test
    void timmStateDictsLoadUnchangedAndGiveTimmsLogitsOnSmallInputs() {
        for (String name : MODELS) checkAgainstTimm(name, "");
    }

    @Test
    @EnabledIfSystemProperty(named = "jgrad.long", matches = "true")
    void timmStateDictsLoadUnchangedAndGiveTimmsLogitsAtFullSize() {
        for (String name : MODELS) checkAgainstTimm(name, "-full");
    }

    private static void checkAgainstTimm(String name, String suffix) {
        SafeTensorsFile f = TorchvisionZooTest.fixture(name + suffix);
        int size = Integer.parseInt(f.metadata().get("input_size"));
        Map<String, Tensor> timmState = new LinkedHashMap<>();
        for (String line : f.metadata().get("state_dict").split("\n")) {
            String[] kv = line.split(" ", -1);
            int[] shape = kv[1].isEmpty() ? new int[0]
                    : java.util.Arrays.stream(kv[1].split(",")).mapToInt(Integer::parseInt).toArray();
            timmState.put(kv[0], kv[0].endsWith("num_batches_tracked") ? Tensor.zerosLong(shape)
                    : TensorData.wrap(FormulaWeights.values(kv[0], shape), shape));
        }
        Module net = Models.create(name, 1000, 3);
        assertEquals(new ArrayList<>(timmState.keySet()), new ArrayList<>(net.stateDict().keySet()), name + ": state-dict keys in order");
        LoadResult r = net.loadStateDict(timmState, true);
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty(), name + ": " + r);
        net.eval();
        try (var ng = NoGrad.enter()) {
            TorchvisionZooTest.assertClose(f.tensors().get("logits"), net.call(FormulaWeights.input(size)), name + suffix + " logits");
        }
    }
}
