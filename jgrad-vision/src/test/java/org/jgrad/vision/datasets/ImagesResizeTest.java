package org.jgrad.vision.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ImagesResizeTest {

    @Test
    void upsamplingMatchesPyTorchBilinear() {
        // torch.nn.functional.interpolate(torch.tensor([[[[0., 1.], [2., 3.]]]]), size=(4, 4), mode="bilinear")
        Tensor x = Tensor.wrap(new float[] {0, 1, 2, 3}, 1, 1, 2, 2);
        float[] expected = {
            0.00f, 0.25f, 0.75f, 1.00f,
            0.50f, 0.75f, 1.25f, 1.50f,
            1.50f, 1.75f, 2.25f, 2.50f,
            2.00f, 2.25f, 2.75f, 3.00f};
        assertArrayEquals(expected, Images.resize(x, 4, 4).toFloatArray(), 1e-6f);
    }

    @Test
    void downsamplingByTwoAveragesPairs() {
        Tensor x = Tensor.wrap(new float[] {0, 2, 4, 6}, 1, 1, 1, 4);
        assertArrayEquals(new float[] {1, 5}, Images.resize(x, 1, 2).toFloatArray(), 1e-6f);
    }

    @Test
    void sameSizeIsANoOp() {
        Tensor x = Tensor.zeros(2, 3, 5, 5);
        assertSame(x, Images.resize(x, 5, 5));
    }
}
