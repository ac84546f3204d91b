package org.jgrad.vision.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.data.DataLoader;
import org.jgrad.data.Dataset;
import org.jgrad.data.Transform;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.datasets.BundledDatasets;
import org.junit.jupiter.api.Test;

class TransformsTest {

    static Tensor ramp() { // 1 x 3 x 4, values 0..11
        return Tensor.arange(12).reshape(1, 3, 4);
    }

    @Test
    void normalizeScalesPerChannel() {
        Tensor x = Tensor.cat(0, Tensor.full(2f, 1, 2, 2), Tensor.full(5f, 1, 2, 2));
        Tensor y = Transforms.normalize(Tensor.of(1f, 3f), Tensor.of(0.5f, 2f)).apply(x);
        assertEquals(2f, y.get(0, 1, 1));
        assertEquals(1f, y.get(1, 0, 0));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Transforms.normalize(Tensor.of(0f), Tensor.of(1f)).apply(x));
        assertTrue(e.getMessage().contains("2 channels"), e.getMessage());
    }

    @Test
    void flipMirrorsColumnsAndCropKeepsSize() {
        Tensor flipped = Transforms.randomHorizontalFlip(1.0, new Generator(0)).apply(ramp());
        assertArrayEquals(new float[] {3, 2, 1, 0}, flipped.select(0, 0).select(0, 0).toFloatArray());
        Tensor same = Transforms.randomHorizontalFlip(0.0, new Generator(0)).apply(ramp());
        assertArrayEquals(ramp().toFloatArray(), same.toFloatArray());
        Tensor crop = Transforms.randomCrop(3, 1, new Generator(4)).apply(ramp());
        assertArrayEquals(new int[] {1, 3, 3}, crop.shape());
        Tensor padded = Transforms.pad(2).apply(ramp());
        assertArrayEquals(new int[] {1, 7, 8}, padded.shape());
        assertEquals(0f, padded.get(0, 0, 0));
    }

    @Test
    void rotationByZeroIsIdentityAndBy180Reverses() {
        Tensor x = ramp();
        assertArrayEquals(x.toFloatArray(), Transforms.rotate(x, 0).toFloatArray(), 1e-6f);
        float[] r = Transforms.rotate(x, Math.PI).toFloatArray();
        float[] v = x.toFloatArray();
        for (int i = 0; i < v.length; i++) assertEquals(v[v.length - 1 - i], r[i], 1e-4f);
    }

    @Test
    void seededAugmentationRepeatsExactly() {
        Dataset digits = BundledDatasets.digits();
        Transform aug = Transform.compose(Transforms.randomRotation(15, new Generator(3)),
                Transforms.randomCrop(8, 1, new Generator(4)), Transforms.normalize(Tensor.of(0.3f), Tensor.of(0.4f)));
        Transform aug2 = Transform.compose(Transforms.randomRotation(15, new Generator(3)),
                Transforms.randomCrop(8, 1, new Generator(4)), Transforms.normalize(Tensor.of(0.3f), Tensor.of(0.4f)));
        Tensor a = DataLoader.builder(digits.map(aug)).batchSize(16).prefetch(false).build().iterator().next().inputs();
        Tensor b = DataLoader.builder(digits.map(aug2)).batchSize(16).prefetch(false).build().iterator().next().inputs();
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertArrayEquals(new int[] {16, 1, 8, 8}, a.shape());
        Tensor plain = DataLoader.builder(digits).batchSize(16).build().iterator().next().inputs();
        assertNotEquals(plain.sum().item(), a.sum().item());
    }
}
