package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Acceptance: one training step's forward and backward through ResNet-18 on a CIFAR-size batch. */
class ResNetTrainStepTest {

    @Test
    void resnet18ForwardBackwardOnEightCifarImages() {
        DefaultGenerator.manualSeed(0);
        ResNet net = Models.resnet18(10);
        Tensor x = Tensor.uniform(new Generator(1), -1, 1, 8, 3, 32, 32);
        Tensor labels = Tensor.ofLongs(0, 1, 2, 3, 4, 5, 6, 7);
        Tensor logits = net.call(x);
        assertArrayEquals(new int[] {8, 10}, logits.shape());
        // cross-entropy written out, as the losses package is not merged here
        Tensor loss = F.logSoftmax(logits, 1).gather(1, labels.reshape(8, 1)).mean().neg();
        assertTrue(Float.isFinite(loss.item()) && loss.item() > 0, "loss " + loss.item());
        loss.backward();
        Map<String, Tensor> params = net.namedParameters();
        assertEquals(62, params.size());
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor g = e.getValue().grad();
            assertNotNull(g, e.getKey() + " has no gradient");
            assertArrayEquals(e.getValue().shape(), g.shape(), e.getKey());
            double sq = 0;
            for (float v : g.toFloatArray()) {
                assertTrue(Float.isFinite(v), e.getKey() + " has a non-finite gradient");
                sq += v * v;
            }
            assertTrue(sq > 0, e.getKey() + " has an all-zero gradient");
        }
        // training mode updated every batch norm's running statistics once
        net.apply(m -> {
            if (m instanceof BatchNorm2d bn) assertEquals(1, bn.numBatchesTracked());
        });
    }
}
