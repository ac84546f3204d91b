package org.jgrad.vision.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.LeNet5;
import org.jgrad.vision.models.MLP;
import org.jgrad.vision.models.Models;
import org.jgrad.vision.models.ResNet;
import org.jgrad.vision.models.VGG;
import org.junit.jupiter.api.Test;

/** Freezing, blocks, partial training and parameter groups. */
class TransferTest {

    static Sequential bnCnn() {
        return Sequential.builder()
                .add("features", new Sequential(new Conv2d(1, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2)))
                .add("classifier", new Sequential(new Flatten(), new Linear(4 * 4 * 4, 3)))
                .build();
    }

    private static List<String> names(List<Block> blocks) {
        return blocks.stream().map(Block::name).toList();
    }

    @Test
    void frozenParametersGetNoGradientAndKeepTheirValues() {
        DefaultGenerator.manualSeed(3);
        Sequential net = bnCnn();
        Module features = net.child("features");
        Transfer.freeze(features);
        Tensor w = features.namedParameters().get("0.weight");
        float[] before = w.toFloatArray();
        Tensor head = net.getSubmodule("classifier.1").parameter("weight");
        float[] headBefore = head.toFloatArray();
        Tensor x = Tensor.uniform(new Generator(4), 0, 1, 6, 1, 8, 8);
        Tensor labels = Tensor.ofLongs(0, 1, 2, 0, 1, 2);
        for (int step = 0; step < 3; step++) {
            DigitsTransferTest.crossEntropy(net.call(x), labels).backward();
            for (Tensor p : features.parameters()) assertNull(p.grad());
            assertNotNull(head.grad());
            DigitsTransferTest.sgdStep(net, 0.5f);
        }
        assertArrayEquals(before, w.toFloatArray(), 0f);
        assertFalse(java.util.Arrays.equals(headBefore, head.toFloatArray()), "the head trained");
        assertEquals(2, Transfer.trainableParameters(net).size());
        // without frozen batch norm, training still moves the running statistics
        assertEquals(3, ((BatchNorm2d) features.child("1")).numBatchesTracked());
        Transfer.unfreeze(features);
        assertEquals(6, Transfer.trainableParameters(net).size());
    }

    @Test
    void frozenBatchNormStaysInEvalAndKeepsItsStatistics() {
        Sequential net = bnCnn();
        BatchNorm2d bn = (BatchNorm2d) net.getSubmodule("features.1");
        Transfer.freeze(net.child("features"), Transfer.BatchNormStats.FREEZE);
        Transfer.train(net);
        assertTrue(net.isTraining());
        assertFalse(bn.isTraining());
        assertTrue(net.getSubmodule("classifier").isTraining());
        float[] mean = bn.runningMean().toFloatArray();
        net.call(Tensor.uniform(new Generator(5), 0, 1, 4, 1, 8, 8));
        assertEquals(0, bn.numBatchesTracked());
        assertArrayEquals(mean, bn.runningMean().toFloatArray(), 0f);
        Transfer.unfreeze(net.child("features"));
        Transfer.train(net);
        assertTrue(bn.isTraining());
    }

    @Test
    void blocksOfEachFamily() {
        ResNet r = Models.resnet18(10);
        assertEquals(List.of("stem", "layer1.0", "layer1.1", "layer2.0", "layer2.1", "layer3.0", "layer3.1", "layer4.0",
                "layer4.1"), names(Transfer.blocks(r)));
        assertEquals(List.of("features[0:3]", "features[3:6]", "classifier.0", "classifier.2"),
                names(Transfer.blocks(LeNet5.mnist(10, 1))));
        assertEquals(List.of("1", "3", "5"), names(Transfer.blocks(MLP.lecture())));
        VGG v = new VGG(new int[] {8, VGG.M, 16, 16, VGG.M}, true, 3, 1, 0.5);
        assertEquals(List.of("features[0:4]", "features[4:11]", "classifier.0", "classifier.3"), names(Transfer.blocks(v)));
    }

    @Test
    void trainPartiallyUnfreezesTheLastBlocksAndTheHead() {
        ResNet r = Models.resnet18(10);
        Transfer.trainPartially(r, 2, Transfer.BatchNormStats.FREEZE);
        Set<Tensor> trainable = Collections.newSetFromMap(new IdentityHashMap<>());
        trainable.addAll(Transfer.trainableParameters(r));
        List<Tensor> expected = new ArrayList<>(r.child("layer4").parameters());
        expected.addAll(r.child("fc").parameters());
        assertEquals(expected.size(), trainable.size());
        for (Tensor p : expected) assertTrue(trainable.contains(p));
        // frozen batch norms are in eval mode, the unfrozen ones in layer4 train
        assertFalse(r.child("bn1").isTraining());
        assertFalse(r.getSubmodule("layer3.1.bn2").isTraining());
        assertTrue(r.getSubmodule("layer4.0.bn1").isTraining());
        assertTrue(r.getSubmodule("layer4.0.downsample.1").isTraining());

        Transfer.freezeBackbone(r);
        assertEquals(2, Transfer.trainableParameters(r).size());
        assertThrows(IllegalArgumentException.class, () -> Transfer.trainPartially(r, 10));
        assertThrows(IllegalArgumentException.class, () -> Transfer.trainPartially(r, -1));
    }

    @Test
    void headAndBackboneParametersPartitionTheModel() {
        ResNet r = Models.resnet18(10);
        List<Tensor> head = Transfer.headParameters(r), backbone = Transfer.backboneParameters(r);
        assertEquals(List.of(r.child("fc").parameter("weight"), r.child("fc").parameter("bias")), head);
        assertEquals(r.parameters().size(), head.size() + backbone.size());
        Set<Tensor> all = Collections.newSetFromMap(new IdentityHashMap<>());
        all.addAll(head);
        all.addAll(backbone);
        assertEquals(r.parameters().size(), all.size());
        MLP m = MLP.lecture();
        assertEquals(m.get(-1).parameters(), Transfer.headParameters(m));
    }
}
