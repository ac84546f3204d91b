package org.jgrad.vision.models.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.internal.TensorData;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.models.ModelRegistry;
import org.jgrad.vision.models.Models;
import org.jgrad.vision.models.ZooModel;
import org.jgrad.vision.transfer.Transfer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Transfer learning finds the head of every Keras-layout family: {@code Models.replaceHead} swaps it,
 * {@code Transfer.freezeBackbone} leaves only it trainable (the batch norms frozen with their
 * statistics), the head and backbone parameter groups split the model, and in a training step the
 * gradients reach the new head and nothing else, and only the head moves.
 */
class KerasTransferTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "keras.VGG16, 32, predictions", "keras.ResNet50V2, 32, predictions", "keras.ResNeXt50, 32, predictions",
        "keras.InceptionV3, 75, predictions", "keras.InceptionResNetV2, 75, predictions",
        "keras.MobileNet, 32, conv_preds", "keras.MobileNetV2, 32, predictions", "keras.DenseNet121, 32, predictions",
        "keras.Xception, 71, predictions", "keras.NASNetMobile, 32, predictions",
    })
    void theHeadIsFoundReplacedAndTrainedAlone(String name, int side, String head) {
        ZooModel e = ModelRegistry.get(name);
        Module net = e.create(e.argsFor(new int[] {3, side, side}, 10));
        assertEquals(head, Models.headPath(net));
        Module old = net.child(head);
        Linear fresh = assertInstanceOf(Linear.class, Models.replaceHead(net, 3));
        assertSame(fresh, net.child(head));
        assertNotSame(old, fresh);
        assertEquals(3, fresh.outFeatures());

        Transfer.freezeBackbone(net, Transfer.BatchNormStats.FREEZE);
        assertEquals(fresh.parameters(), Transfer.trainableParameters(net));
        assertEquals(fresh.parameters(), Transfer.headParameters(net));
        assertEquals(net.parameters().size(), Transfer.headParameters(net).size() + Transfer.backboneParameters(net).size());

        float[] before = net.parameters().get(0).toFloatArray(), headBias = fresh.bias().toFloatArray();
        Transfer.train(net);
        assertTrue(fresh.isTraining());
        for (Module m : net.children())
            if (m instanceof KerasBatchNorm) assertFalse(m.isTraining(), "a frozen batch norm stays in eval mode");
        SGD opt = new SGD(Transfer.trainableParameters(net), 0.1);
        Tensor x = Tensor.uniform(new Generator(3), -1f, 1f, 2, 3, side, side);
        Tensor logits = net.call(x);
        assertArrayEquals(new int[] {2, 3}, logits.shape());
        new CrossEntropyLoss().forward(logits, TensorData.wrapLongs(new long[] {0, 2}, 2)).backward();
        for (Tensor p : Transfer.backboneParameters(net)) assertNull(p.grad(), "a frozen parameter got a gradient");
        assertTrue(java.util.Arrays.stream(toDoubles(fresh.bias().grad().toFloatArray())).anyMatch(g -> g != 0),
                "the head's gradient");
        opt.step();
        assertArrayEquals(before, net.parameters().get(0).toFloatArray(), 0f, "the backbone did not move");
        // the bias moves by lr times its gradient (the softmax's), whatever the size of the features
        assertFalse(java.util.Arrays.equals(headBias, fresh.bias().toFloatArray()), "the head moved");
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
