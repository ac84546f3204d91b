package org.jgrad.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ImageFitTest {

    @Test
    void theRightSizeIsLeftAloneWithoutANote() {
        Tensor x = Tensor.zeros(1, 4, 4);
        for (ImageFit f : ImageFit.values()) {
            ImageFit.Fitted r = f.apply(x, 4, 4);
            assertSame(x, r.image());
            assertEquals("", r.note());
        }
    }

    @Test
    void stretchResizesToTheModelsSizeAndSaysTheAspectChanged() {
        Tensor x = Tensor.arange(8).toFloat().reshape(1, 2, 4);
        ImageFit.Fitted r = ImageFit.STRETCH.apply(x, 2, 2);
        assertArrayEquals(Resize.bilinear(x, 2, 2).toFloatArray(), r.image().toFloatArray());
        assertEquals("4x2 stretched to 2x2 (aspect ratio changed)", r.note());
    }

    @Test
    void centerCropKeepsTheAspectAndCutsTheLongerSidesMargins() {
        // a 2x6 image (height 2, width 6) to 2x2: no resize needed in height, the centre two columns kept
        Tensor x = Tensor.arange(12).toFloat().reshape(1, 2, 6);
        ImageFit.Fitted r = ImageFit.CENTER_CROP.apply(x, 2, 2);
        assertArrayEquals(new float[] {2, 3, 8, 9}, r.image().toFloatArray());
        assertEquals("6x2: centre 2x2 cropped", r.note());
        // a 4x8 image to 2x2: scaled by 1/2 to 2x4, then the centre 2x2
        Tensor y = Tensor.arange(32).toFloat().reshape(1, 4, 8);
        ImageFit.Fitted s = ImageFit.CENTER_CROP.apply(y, 2, 2);
        assertArrayEquals(Crop.centerCrop(Resize.bilinear(y, 2, 4), 2, 2).toFloatArray(), s.image().toFloatArray());
        assertTrue(s.note().contains("resized to 4x2"), s.note());
        // same aspect: a plain resize
        assertEquals("8x8 resized to 4x4 (same aspect ratio)", ImageFit.CENTER_CROP.apply(Tensor.zeros(3, 8, 8), 4, 4).note());
    }

    @Test
    void refuseNamesBothSizesAndTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFit.REFUSE.apply(Tensor.zeros(1, 32, 30), 28, 28));
        assertTrue(e.getMessage().contains("30x32") && e.getMessage().contains("28x28") && e.getMessage().contains("--resize"),
                e.getMessage());
    }

    @Test
    void parsesTheOptionNames() {
        assertEquals(ImageFit.CENTER_CROP, ImageFit.parse("center-crop"));
        assertEquals(ImageFit.CENTER_CROP, ImageFit.parse("CENTER_CROP"));
        assertEquals("center-crop", ImageFit.CENTER_CROP.optionName());
        assertThrows(IllegalArgumentException.class, () -> ImageFit.parse("fill"));
    }
}
