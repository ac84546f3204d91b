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
import org.jgrad.nn.Conv2d;
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
        // timm's layouts, for what torchvision lacks
        expected.clear();
        expected.put("xception", 22_855_952L);
        expected.put("mobilenetv1_100", 4_231_976L);
        expected.put("resnetv2_50", 25_549_352L);
        expected.put("inception_resnet_v2", 55_843_464L);
        expected.put("nasnetalarge", 88_753_150L);
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
    void timmLayoutsRunAndNameTheirEntriesAsTimm() {
        Map<String, Integer> sides = Map.of("xception", 71, "mobilenetv1_100", 32, "resnetv2_50", 32, "inception_resnet_v2", 75,
                "nasnetalarge", 32);
        Map<String, List<String>> someKeys = Map.of(
                "xception", List.of("block1.rep.0.conv1.weight", "block1.rep.0.pointwise.weight", "block1.skipbn.running_var",
                        "block12.rep.4.pointwise.weight", "conv4.conv1.weight", "fc.bias"),
                "mobilenetv1_100", List.of("conv_stem.weight", "blocks.0.0.conv_dw.weight", "blocks.3.5.bn2.running_mean",
                        "blocks.4.1.conv_pw.weight", "classifier.weight"),
                "resnetv2_50", List.of("stem.conv.weight", "stages.0.blocks.0.downsample.conv.weight",
                        "stages.3.blocks.2.norm3.weight", "norm.running_var", "head.fc.weight"),
                "inception_resnet_v2", List.of("conv2d_1a.conv.weight", "mixed_5b.branch3.1.bn.bias", "repeat.9.conv2d.bias",
                        "repeat_1.19.branch1.2.conv.weight", "block8.conv2d.weight", "conv2d_7b.bn.running_mean", "classif.weight"),
                "nasnetalarge", List.of("conv0.conv.weight", "conv0.bn.running_var",
                        "cell_stem_0.comb_iter_0_right.separable_1.depthwise_conv2d.weight",
                        "cell_stem_1.path_2.conv.weight", "cell_0.final_path_bn.bias",
                        "reduction_cell_1.comb_iter_4_left.separable_2.pointwise_conv2d.weight",
                        "cell_17.conv_prev_1x1.bn.running_mean", "last_linear.weight"));
        for (var e : sides.entrySet()) {
            Module net = Models.create(e.getKey(), 1000, 3);
            assertTrue(net.stateDict().keySet().containsAll(someKeys.get(e.getKey())), e.getKey() + ": " + net.stateDict().keySet());
            net.eval();
            try (var ng = NoGrad.enter()) {
                assertArrayEquals(new int[] {1, 1000}, net.call(Tensor.zeros(1, 3, e.getValue(), e.getValue())).shape(), e.getKey());
            }
        }
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
        Map<String, String> heads = Map.ofEntries(Map.entry("mobilenet_v2", "classifier.1"),
                Map.entry("densenet121", "classifier"), Map.entry("resnext50_32x4d", "fc"), Map.entry("googlenet", "fc"),
                Map.entry("inception_v3", "fc"), Map.entry("zfnet", "classifier.6"), Map.entry("xception", "fc"),
                Map.entry("mobilenetv1_100", "classifier"), Map.entry("resnetv2_50", "head.fc"),
                Map.entry("inception_resnet_v2", "classif"), Map.entry("nasnetalarge", "last_linear"));
        for (var e : heads.entrySet()) {
            Module net = Models.create(e.getKey(), 1000, 3);
            assertEquals(e.getValue(), Models.headPath(net), e.getKey());
            Module head = Models.replaceHead(net, 7);
            assertEquals(7, head instanceof Linear l ? l.outFeatures() : ((Conv2d) head).outChannels(), e.getKey());
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
    static void assertClose(Tensor expected, Tensor actual, String what) {
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

    static SafeTensorsFile fixture(String name) {
        String resource = "zoo/" + name + ".safetensors";
        try (InputStream in = TorchvisionZooTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing test resource " + resource + " (make_torchvision_zoo_fixtures.py or make_timm_zoo_fixtures.py writes it)");
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
