package org.jgrad.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ResizeTest {
    private static final Tensor SQUARE = TensorData.wrap(new float[] {0, 1, 2, 3}, 1, 2, 2);

    @Test
    void bilinearUpscaleMatchesPyTorchAlignCornersFalse() {
        // torch.nn.functional.interpolate(tensor([[[[0.,1],[2,3]]]]), size=4, mode='bilinear', align_corners=False)
        float[] expected = {0, 0.25f, 0.75f, 1, 0.5f, 0.75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f, 2, 2.25f, 2.75f, 3};
        assertArrayEquals(expected, Resize.bilinear(SQUARE, 4, 4).toFloatArray(), 1e-6f);
    }

    @Test
    void bilinearDownscaleByTwoAveragesPairs() {
        Tensor x = Tensor.arange(16).toFloat().reshape(1, 4, 4);
        // sample points fall midway between pixel centres: the 2x2 block means
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, Resize.bilinear(x, 2, 2).toFloatArray(), 1e-6f);
        assertArrayEquals(x.toFloatArray(), Resize.bilinear(x, 4, 4).toFloatArray(), 1e-6f);
    }

    @Test
    void nearestPicksFloorOfScaledIndex() {
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3},
                Resize.nearest(SQUARE, 4, 4).toFloatArray());
        Tensor x = Tensor.arange(16).toFloat().reshape(1, 4, 4);
        assertArrayEquals(new float[] {0, 2, 8, 10}, Resize.resize(x, 2, 2, Resize.Mode.NEAREST).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Resize.nearest(x, 0, 2));
    }

    @Test
    void cropAndPad() {
        Tensor x = Tensor.arange(16).toFloat().reshape(1, 4, 4);
        assertArrayEquals(new float[] {5, 6, 9, 10}, Crop.crop(x, 1, 1, 2, 2).toFloatArray());
        assertArrayEquals(new float[] {5, 6, 9, 10}, Crop.centerCrop(x, 2, 2).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Crop.crop(x, 3, 3, 2, 2));
        Tensor p = Crop.pad(SQUARE, 1, 0, 0, 2, -1f);
        assertArrayEquals(new int[] {1, 3, 4}, p.shape());
        assertArrayEquals(new float[] {-1, -1, -1, -1, 0, 1, -1, -1, 2, 3, -1, -1}, p.toFloatArray());
    }

    @Test
    void aBatchIsResizedPlaneByPlaneAndTheSameSizeIsANoOp() {
        // torch.nn.functional.interpolate(torch.tensor([[[[0., 1.], [2., 3.]]]]), size=(4, 4), mode="bilinear")
        Tensor x = TensorData.wrap(new float[] {0, 1, 2, 3, 10, 11, 12, 13}, 2, 1, 2, 2);
        Tensor y = Resize.bilinearBatch(x, 4, 4);
        assertArrayEquals(new int[] {2, 1, 4, 4}, y.shape());
        float[] first = {0, 0.25f, 0.75f, 1, 0.5f, 0.75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f, 2, 2.25f, 2.75f, 3};
        float[] all = new float[32];
        for (int i = 0; i < 16; i++) {
            all[i] = first[i];
            all[16 + i] = first[i] + 10;
        }
        assertArrayEquals(all, y.toFloatArray(), 1e-5f);
        org.junit.jupiter.api.Assertions.assertSame(x, Resize.bilinearBatch(x, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Resize.bilinearBatch(SQUARE, 4, 4));
    }
}
