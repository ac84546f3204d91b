package org.jgrad.vision.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class NormalizationTest {

    @Test
    void normalisesImagesAndBatchesPerChannel() {
        Normalization n = Normalization.of(Tensor.of(0.5f, 0f), Tensor.of(0.25f, 2f));
        Tensor img = TensorData.wrap(new float[] {1, 0.5f, 4, 2}, 2, 1, 2);
        assertArrayEquals(new float[] {2, 0, 2, 1}, n.apply(img).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {2, 0, 2, 1}, n.apply(img.unsqueeze(0)).toFloatArray(), 1e-6f);
        assertSame(img, Normalization.NONE.apply(img));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.apply(Tensor.zeros(3, 2, 2)));
        assertTrue(e.getMessage().contains("[3, 2, 2]"), e.getMessage());
    }

    @Test
    void roundTripsThroughItsTextFormAndRefusesBadStatistics() {
        Normalization n = Normalization.of(Tensor.of(0.485f, 0.456f), Tensor.of(0.229f, 0.224f));
        assertEquals(n, Normalization.parse(n.meanString(), n.stdString()));
        assertSame(Normalization.NONE, Normalization.parse(null, ""));
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(Tensor.of(0), Tensor.of(0)));
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(Tensor.of(0, 1), Tensor.of(1)));
        assertThrows(IllegalArgumentException.class, () -> Normalization.parse("0.5", "x"));
    }
}
