package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.Module;
import org.jgrad.nn.Summary;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The zoo against torchvision: parameter counts (from shapes, and from built models), state-dict
 * key names and order, output shapes at 32×32 and 224×224, and the by-name factory.
 */
class ModelsTest {

    /**
     * torchvision's counts for 1000 classes and 3 channels ({@code sum(p.numel() for p in model.parameters())});
     * each VGG is built once to count it (0.55 GB), so three of the eight stand for the family.
     */
    private static final Map<String, Long> TORCHVISION = Map.ofEntries(
            Map.entry("alexnet", 61_100_840L), Map.entry("vgg11", 132_863_336L), Map.entry("vgg19", 143_667_240L),
            Map.entry("vgg16_bn", 138_365_992L), Map.entry("resnet18", 11_689_512L), Map.entry("resnet34", 21_797_672L),
            Map.entry("resnet50", 25_557_032L), Map.entry("resnet101", 44_549_160L), Map.entry("resnet152", 60_192_808L));

    private static long count(Module m) {
        long n = 0;
        for (Tensor p : m.parameters()) n += p.numel();
        return n;
    }

    @Test
    void parameterCountsEqualTorchvision() {
        for (Map.Entry<String, Long> e : TORCHVISION.entrySet())
            assertEquals(e.getValue(), Models.parameterCount(e.getKey(), 1000, 3), e.getKey());
        assertEquals(61_706, Models.parameterCount("lenet5", 10, 1));
        assertEquals(784L * 500 + 500 + 500 * 250 + 250 + 250 * 125 + 125 + 125 * 10 + 10, Models.parameterCount("mlp", 10, 1));
        assertThrows(IllegalArgumentException.class, () -> Models.parameterCount("vgg17", 10, 3));
    }

    @Test
    void builtModelsHaveTheCountedParameters() {
        for (String name : List.of("resnet18", "resnet50")) {
            Module m = Models.create(name, 1000, 3);
            assertEquals(TORCHVISION.get(name), count(m), name);
        }
        for (String name : List.of("mlp", "lenet5", "lenet5_classic", "resnet34"))
            assertEquals(Models.parameterCount(name, 7, 2), count(Models.create(name, 7, 2)), name);
        assertEquals(61_706, count(Models.lenet5(10)));
        assertEquals(61_706, count(LeNet5.classic(10, 1)));
    }

    /** torchvision's ResNet state-dict keys, written out independently of the model code. */
    private static List<String> torchvisionResNetKeys(int[] layers, boolean bottleneck) {
        List<String> keys = new ArrayList<>();
        String[] bn = {"weight", "bias", "running_mean", "running_var", "num_batches_tracked"};
        keys.add("conv1.weight");
        for (String b : bn) keys.add("bn1." + b);
        int convs = bottleneck ? 3 : 2;
        for (int s = 0; s < 4; s++)
            for (int i = 0; i < layers[s]; i++) {
                String p = "layer" + (s + 1) + "." + i + ".";
                for (int c = 1; c <= convs; c++) {
                    keys.add(p + "conv" + c + ".weight");
                    for (String b : bn) keys.add(p + "bn" + c + "." + b);
                }
                // stride 2 from layer2 on; a bottleneck's layer1 also widens 64 → 256
                if (i == 0 && (s > 0 || bottleneck)) {
                    keys.add(p + "downsample.0.weight");
                    for (String b : bn) keys.add(p + "downsample.1." + b);
                }
            }
        keys.add("fc.weight");
        keys.add("fc.bias");
        return keys;
    }

    @Test
    void resnetStateDictKeysAreTorchvisionsInOrder() {
        ResNet r18 = Models.resnet18(1000);
        Map<String, Tensor> sd = r18.stateDict();
        // 62 parameters + 20 batch norms × 3 buffers (running_mean, running_var, num_batches_tracked)
        assertEquals(122, sd.size());
        assertEquals(62, r18.parameters().size());
        assertEquals(102, sd.keySet().stream().filter(k -> !k.endsWith("num_batches_tracked")).count());
        assertEquals(torchvisionResNetKeys(new int[] {2, 2, 2, 2}, false), new ArrayList<>(sd.keySet()));
        assertArrayEquals(new int[] {64, 3, 7, 7}, sd.get("conv1.weight").shape());
        assertArrayEquals(new int[] {128, 64, 1, 1}, sd.get("layer2.0.downsample.0.weight").shape());
        assertArrayEquals(new int[] {256}, sd.get("layer3.0.downsample.1.running_mean").shape());
        assertArrayEquals(new int[] {512, 512, 3, 3}, sd.get("layer4.1.conv2.weight").shape());
        assertArrayEquals(new int[] {1000, 512}, sd.get("fc.weight").shape());
        assertEquals(DType.INT64, sd.get("bn1.num_batches_tracked").dtype());

        ResNet r50 = Models.resnet50(1000);
        Map<String, Tensor> sd50 = r50.stateDict();
        assertEquals(torchvisionResNetKeys(new int[] {3, 4, 6, 3}, true), new ArrayList<>(sd50.keySet()));
        assertEquals(320, sd50.size());
        assertArrayEquals(new int[] {256, 64, 1, 1}, sd50.get("layer1.0.downsample.0.weight").shape());
        assertArrayEquals(new int[] {64, 64, 3, 3}, sd50.get("layer1.0.conv2.weight").shape());
        assertArrayEquals(new int[] {2048, 512, 1, 1}, sd50.get("layer4.2.conv3.weight").shape());
        assertArrayEquals(new int[] {1000, 2048}, sd50.get("fc.weight").shape());
    }

    // VGG and AlexNet are built once each (hundreds of MB): count, keys, init and a forward in one test.
    @Test
    void resnetStateDictLoadsIntoAFreshModelUnchanged() {
        ResNet a = Models.resnet18(10), b = Models.resnet18(10);
        a.call(Tensor.uniform(new Generator(3), -1, 1, 4, 3, 32, 32)); // move the running statistics
        assertTrue(b.loadStateDict(a.stateDict()).missingKeys().isEmpty());
        Tensor x = Tensor.uniform(new Generator(4), -1, 1, 2, 3, 32, 32);
        try (NoGrad g = NoGrad.enter()) {
            assertArrayEquals(a.eval().call(x).toFloatArray(), b.eval().call(x).toFloatArray(), 0f);
        }
        assertEquals(1, b.stateDict().get("layer3.1.bn2.num_batches_tracked").getLong());
    }

    @Test
    void vgg11MatchesTorchvision() {
        VGG v = Models.vgg11(1000);
        assertEquals(TORCHVISION.get("vgg11"), count(v));
        List<String> expected = new ArrayList<>();
        for (int i : new int[] {0, 3, 6, 8, 11, 13, 16, 18}) {
            expected.add("features." + i + ".weight");
            expected.add("features." + i + ".bias");
        }
        for (int i : new int[] {0, 3, 6}) {
            expected.add("classifier." + i + ".weight");
            expected.add("classifier." + i + ".bias");
        }
        assertEquals(expected, new ArrayList<>(v.stateDict().keySet()));
        assertArrayEquals(new int[] {4096, 25088}, v.stateDict().get("classifier.0.weight").shape());
        assertArrayEquals(new int[] {1000}, v.stateDict().get("classifier.6.bias").shape());
        // torchvision's VGG init: N(0, 0.01) linear weights, zero biases
        float[] w = v.stateDict().get("classifier.6.weight").toFloatArray();
        double sq = 0;
        for (float x : w) sq += x * x;
        assertEquals(0.01, Math.sqrt(sq / w.length), 0.0005);
        assertEquals(0f, v.stateDict().get("features.0.bias").abs().sum().item());
        // (a full-size VGG forward at 32×32 runs in vgg16SummaryTotalsTorchvisionsCount)
    }

    @Test
    void alexnetMatchesTorchvision() {
        AlexNet a = Models.alexnet(1000);
        assertEquals(TORCHVISION.get("alexnet"), count(a));
        List<String> ak = new ArrayList<>();
        for (int i : new int[] {0, 3, 6, 8, 10}) {
            ak.add("features." + i + ".weight");
            ak.add("features." + i + ".bias");
        }
        for (int i : new int[] {1, 4, 6}) {
            ak.add("classifier." + i + ".weight");
            ak.add("classifier." + i + ".bias");
        }
        assertEquals(ak, new ArrayList<>(a.stateDict().keySet()));
        assertEquals("classifier.6", Models.headPath(a));
        try (NoGrad g = NoGrad.enter()) {
            assertArrayEquals(new int[] {1, 1000}, a.eval().call(Tensor.zeros(1, 3, 224, 224)).shape());
        }
    }

    @Test
    void vggBatchNormKeysFollowTorchvisionsIndices() {
        // a two-stage configuration keeps this small; the indices follow torchvision's make_layers
        VGG v = new VGG(new int[] {8, VGG.M, 16, 16, VGG.M}, true, 3, 1, 0.5);
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
                "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked",
                "features.4.weight", "features.4.bias", "features.5.weight", "features.5.bias", "features.5.running_mean",
                "features.5.running_var", "features.5.num_batches_tracked", "features.7.weight", "features.7.bias",
                "features.8.weight", "features.8.bias", "features.8.running_mean", "features.8.running_var",
                "features.8.num_batches_tracked", "classifier.0.weight", "classifier.0.bias", "classifier.3.weight",
                "classifier.3.bias", "classifier.6.weight", "classifier.6.bias"), new ArrayList<>(v.stateDict().keySet()));
        long convs = (1 * 8 * 9 + 8) + (8 * 16 * 9 + 16) + (16 * 16 * 9 + 16), bns = 2 * (8 + 16 + 16);
        long fcs = (16 * 49 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * 3 + 3);
        assertEquals(convs + bns + fcs, count(v));
        assertTrue(v.toString().contains("(1): BatchNorm2d(8, eps=1e-05"), v.toString());
        try (NoGrad g = NoGrad.enter()) {
            assertArrayEquals(new int[] {2, 3}, v.eval().call(Tensor.zeros(2, 1, 32, 32)).shape());
        }
    }

    @Test
    void outputShapesAt32And224() {
        try (NoGrad g = NoGrad.enter()) {
            Tensor cifar = Tensor.uniform(new Generator(1), -1, 1, 2, 3, 32, 32);
            assertArrayEquals(new int[] {2, 10}, Models.resnet18(10).eval().call(cifar).shape());
            assertArrayEquals(new int[] {2, 10}, Models.resnet50(10).eval().call(cifar).shape());
            assertArrayEquals(new int[] {1, 1000}, Models.resnet18(1000).eval().call(Tensor.uniform(new Generator(2), -1, 1, 1, 3, 224, 224)).shape());
            assertArrayEquals(new int[] {2, 10}, Models.lenet5(10).call(Tensor.zeros(2, 1, 28, 28)).shape());
            assertArrayEquals(new int[] {2, 10}, LeNet5.classic(10, 1).call(Tensor.zeros(2, 1, 32, 32)).shape());
            assertArrayEquals(new int[] {2, 10}, Models.mlp().call(Tensor.zeros(2, 1, 28, 28)).shape());
            assertArrayEquals(new int[] {2, 4}, Models.create("mlp", 4, 3).call(Tensor.zeros(2, 3, 28, 28)).shape());
            assertArrayEquals(new int[] {2, 3}, Models.create("resnet18", 3, 1).eval().call(Tensor.zeros(2, 1, 32, 32)).shape());
        }
    }

    @Test
    void vgg16SummaryTotalsTorchvisionsCount() {
        String s = Summary.of(Models.vgg16(1000), 1, 3, 32, 32);
        assertTrue(s.contains("Total params: 138,357,544"), s);
        assertTrue(s.contains("[1, 512, 7, 7]"), s); // the adaptive pool repeats the 1×1 map
        assertTrue(s.contains("[1, 1000]"), s);
    }

    @Test
    void printoutsReadLikeTorchvision() {
        String r = Models.resnet18(1000).toString();
        assertTrue(r.startsWith("""
                ResNet(
                  (conv1): Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)
                  (bn1): BatchNorm2d(64, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
                  (relu): ReLU()
                  (maxpool): MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)
                  (layer1): Sequential(
                    (0): BasicBlock(
                      (conv1): Conv2d(64, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)
                """), r);
        assertTrue(r.contains("""
                      (downsample): Sequential(
                        (0): Conv2d(64, 128, kernel_size=(1, 1), stride=(2, 2), bias=False)
                        (1): BatchNorm2d(128, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
                      )
                """), r);
        assertTrue(r.endsWith("""
                  (avgpool): AdaptiveAvgPool2d(output_size=(1, 1))
                  (fc): Linear(in_features=512, out_features=1000, bias=True)
                )"""), r);
        String l = Models.lenet5(10).toString();
        assertTrue(l.startsWith("LeNet5(\n  (features): Sequential(\n    (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))"), l);
    }

    @Test
    void createKnowsEveryNameAndRejectsOthers() {
        assertEquals(ModelRegistry.names(), Models.names());
        for (String n : List.of("mlp", "lenet5", "lenet5_classic", "vgg_small_bn", "resnet18"))
            assertTrue(Models.parameterCount(n, 10, 3) > 0, n);
        assertInstanceOf(ResNet.class, Models.create("ResNet18", 10, 3));
        assertInstanceOf(MLP.class, Models.create("mlp", 10, 1));
        assertInstanceOf(LeNet5.class, Models.create("lenet5", 10, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.create("resnet20", 10, 3));
        assertTrue(e.getMessage().contains("resnet20") && e.getMessage().contains("vgg16_bn"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Models.create("resnet18", 0, 3));
    }

    @Test
    void replaceHeadSwapsTheLastLinearForEveryFamily() {
        ResNet r = Models.resnet18(1000);
        Linear h = assertInstanceOf(Linear.class, Models.replaceHead(r, 7));
        assertEquals(512, h.inFeatures());
        assertEquals(h, r.child("fc"));
        try (NoGrad g = NoGrad.enter()) {
            assertArrayEquals(new int[] {2, 7}, r.eval().call(Tensor.zeros(2, 3, 32, 32)).shape());
        }
        List<String> keys = new ArrayList<>(r.stateDict().keySet());
        assertEquals(List.of("fc.weight", "fc.bias"), keys.subList(keys.size() - 2, keys.size()));
        LeNet5 l = Models.lenet5(10);
        assertEquals("classifier.4", Models.headPath(l));
        Models.replaceHead(l, 3);
        assertArrayEquals(new int[] {1, 3}, l.call(Tensor.zeros(1, 1, 28, 28)).shape());
        MLP m = MLP.lecture();
        assertEquals("7", Models.headPath(m));
        Models.replaceHead(m, 2);
        assertArrayEquals(new int[] {1, 2}, m.call(Tensor.zeros(1, 784)).shape());
    }

    @Test
    void replaceHeadKeepsTimmsConvolutionHead() {
        Module net = Models.create("resnetv2_50", 1000, 3);
        assertEquals("head.fc", Models.headPath(net));
        assertArrayEquals(new int[] {1000, 2048, 1, 1}, net.stateDict().get("head.fc.weight").shape());
        Conv2d h = assertInstanceOf(Conv2d.class, Models.replaceHead(net, 7));
        assertEquals(2048, h.inChannels());
        assertArrayEquals(new int[] {7, 2048, 1, 1}, h.weight().shape());
        try (NoGrad g = NoGrad.enter()) {
            assertArrayEquals(new int[] {2, 7}, net.eval().call(Tensor.zeros(2, 3, 32, 32)).shape());
        }
        List<String> keys = new ArrayList<>(net.stateDict().keySet());
        assertEquals(List.of("head.fc.weight", "head.fc.bias"), keys.subList(keys.size() - 2, keys.size()));
    }

    @Test
    void aBackboneEndingInANormHasNoConvolutionHead() {
        Sequential headless = new Sequential(new Conv2d(3, 8, 1), new BatchNorm2d(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.headPath(headless));
        assertTrue(e.getMessage().contains("no Linear layer or 1×1 convolution"), e.getMessage());
        Sequential convHead = new Sequential(new Conv2d(3, 8, 3), new Conv2d(8, 4, 1));
        assertEquals("1", Models.headPath(convHead));
    }
}
