package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.io.SafeTensors;
import org.jgrad.io.SafeTensorsFile;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.transfer.Transfer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The torchvision-layout models (MobileNetV2, DenseNet, ResNeXt, GoogLeNet, Inception v3, ZF Net):
 * torchvision's parameter counts, state-dict names and shapes, and logits on the same weights
 * (written by make_torchvision_zoo_fixtures.py with torchvision; the weights come from a formula
 * both sides compute, {@link FormulaWeights}). Small inputs here; full-size inputs behind
 * {@code -Djgrad.long=true}:
 * {@code ./mvnw -pl jgrad-vision -am test -Djgrad.long=true -Dtest=TorchvisionZooTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class TorchvisionZooTest {

    @Test
    void parameterCountsAreTorchvisions() {
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("mobilenet_v2", 3_504_872L);
        expected.put("densenet121", 7_978_856L);
        expected.put("densenet169", 14_149_480L);
        expected.put("densenet201", 20_013_928L);
        expected.put("resnext50_32x4d", 25_028_904L);
        expected.put("resnext101_32x8d", 88_791_336L);
        expected.put("googlenet", 13_004_888L);
        expected.put("inception_v3", 27_161_264L);
        expected.put("zfnet", 62_357_608L);
        for (var e : expected.entrySet()) assertEquals(e.getValue(), Models.parameterCount(e.getKey(), 1000, 3), e.getKey());
        ZooModel g = ModelRegistry.get("googlenet"), i = ModelRegistry.get("inception_v3");
        assertEquals(6_624_904L, g.parameterCount(g.args(Map.of("aux_logits", false))), "googlenet without aux heads");
        assertEquals(23_834_568L, i.parameterCount(i.args(Map.of("aux_logits", false))), "inception_v3 without aux head");
    }

    @Test
    void namesAndLogitsMatchTorchvisionOnSmallInputs() {
        for (String name : List.of("mobilenet_v2", "densenet121", "resnext50_32x4d", "googlenet", "inception_v3", "zfnet"))
            checkAgainstTorchvision(name, "");
    }

    @Test
    @EnabledIfSystemProperty(named = "jgrad.long", matches = "true")
    void namesAndLogitsMatchTorchvisionAtFullSize() {
        for (String name : List.of("mobilenet_v2", "densenet121", "densenet169", "densenet201", "resnext50_32x4d",
                "resnext101_32x8d", "googlenet", "inception_v3", "zfnet"))
            checkAgainstTorchvision(name, "-full");
    }

    @Test
    void trainingModeReturnsTheAuxiliaryLogits() {
        GoogLeNet g = (GoogLeNet) Models.create("googlenet", 10, 3);
        g.train();
        GoogLeNet.Out out = g.callOutputs(Tensor.randn(new org.jgrad.tensor.Generator(1), 2, 3, 64, 64));
        for (Tensor t : out.tensors()) assertArrayEquals(new int[] {2, 10}, t.shape());
        assertEquals(3, out.tensors().size());
        g.eval();
        try (var ng = NoGrad.enter()) {
            GoogLeNet.Out eval = g.callOutputs(Tensor.randn(new org.jgrad.tensor.Generator(1), 1, 3, 64, 64));
            assertNull(eval.aux1());
            assertNull(eval.aux2());
            assertEquals(1, eval.tensors().size());
        }
        // without aux heads: one output in training mode too
        ZooModel e = ModelRegistry.get("googlenet");
        GoogLeNet plain = (GoogLeNet) e.create(e.args(Map.of("aux_logits", false, "num_classes", 5)));
        plain.train();
        assertEquals(1, plain.callOutputs(Tensor.zeros(2, 3, 64, 64)).tensors().size());
    }

    @Test
    void transferLearningFindsEveryHead() {
        Map<String, String> heads = Map.of("mobilenet_v2", "classifier.1", "densenet121", "classifier",
                "resnext50_32x4d", "fc", "googlenet", "fc", "inception_v3", "fc", "zfnet", "classifier.6");
        for (var e : heads.entrySet()) {
            Module net = Models.create(e.getKey(), 1000, 3);
            assertEquals(e.getValue(), Models.headPath(net), e.getKey());
            Linear head = Models.replaceHead(net, 7);
            assertEquals(7, head.outFeatures(), e.getKey());
            Transfer.freezeBackbone(net);
            assertEquals(head.parameters(), Transfer.trainableParameters(net), e.getKey() + ": only the head trains");
            assertEquals(head.parameters(), Transfer.headParameters(net), e.getKey());
            long all = net.parameters().size();
            assertEquals(all - 2, Transfer.backboneParameters(net).size(), e.getKey());
            assertTrue(Transfer.blocks(net).size() > 1, e.getKey());
        }
    }

    private static void checkAgainstTorchvision(String name, String suffix) {
        SafeTensorsFile f = fixture(name + suffix);
        int size = Integer.parseInt(f.metadata().get("input_size"));
        Module net = Models.create(name, 1000, 3);
        // torchvision's names and shapes, in torchvision's order
        List<String> expectedKeys = new ArrayList<>(), actualKeys = new ArrayList<>(net.stateDict().keySet());
        Map<String, Tensor> state = net.stateDict();
        for (String line : f.metadata().get("state_dict").split("\n")) {
            String[] kv = line.split(" ", -1);
            String k = kv[0];
            expectedKeys.add(k);
            Tensor t = state.get(k);
            assertNotNull(t, name + ": no entry " + k);
            int[] s = kv[1].isEmpty() ? new int[0] : java.util.Arrays.stream(kv[1].split(",")).mapToInt(Integer::parseInt).toArray();
            assertArrayEquals(s, t.shape(), name + ": shape of " + k);
        }
        assertEquals(expectedKeys, actualKeys, name + ": state-dict keys");

        FormulaWeights.fill(net);
        net.eval();
        Map<String, Tensor> auxInputs = new HashMap<>();
        Map<String, String> auxSources = Map.of("aux1", "inception4a", "aux2", "inception4d", "AuxLogits", "Mixed_6e");
        for (var a : auxSources.entrySet())
            if (f.tensors().containsKey(a.getKey()))
                net.child(a.getValue()).registerForwardHook((m, in, out) -> auxInputs.put(a.getKey(), out));
        try (var ng = NoGrad.enter()) {
            Tensor logits = net.call(FormulaWeights.input(size));
            assertClose(f.tensors().get("logits"), logits, name + suffix + " logits");
            for (var a : auxSources.entrySet())
                if (f.tensors().containsKey(a.getKey()))
                    assertClose(f.tensors().get(a.getKey()), net.child(a.getKey()).call(auxInputs.get(a.getKey())),
                            name + suffix + " " + a.getKey());
        }
    }

    /** Within 1e-4 of the largest |logit| (float32 sums over different orders through a deep network). */
    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        double scale = 0;
        for (float v : e) scale = Math.max(scale, Math.abs(v));
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(e[i] - a[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= 1e-4 * Math.max(1, scale), what + ": largest difference " + worst + " at " + at + " (expected "
                + (at >= 0 ? e[at] : 0) + ", got " + (at >= 0 ? a[at] : 0) + ", scale " + scale + ")");
    }

    private static SafeTensorsFile fixture(String name) {
        String resource = "zoo/" + name + ".safetensors";
        try (InputStream in = TorchvisionZooTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing test resource " + resource + " (make_torchvision_zoo_fixtures.py writes it)");
            Path tmp = Files.createTempFile("zoo-" + name, ".safetensors");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return SafeTensors.load(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
