package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** int size products in the convolution kernels are checked once per call, before anything is allocated. */
class SizeOverflowTest {
    @Test
    void shiftMasksOfAHugeMapAreRefusedNotAnIndexError() {
        // The 12000x12000 image of the `jgrad filter` report with a 5x5 kernel: 25 * (144M + 64) overflows an int.
        Im2col.Geometry g = new Im2col.Geometry(1, 12000, 12000, 5, 5, 1, 1, 2, 2, 1, 1, 12000, 12000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShiftMasks.of(g));
        assertEquals("conv2d: the padding masks of a 5x5 kernel over a 12000x12000 output need 3600001600 entries, more than"
                + " one Java array holds (2^31-9); use a smaller image or tile it", e.getMessage());
    }

    @Test
    void geometryWhoseSizesOverflowIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Im2col.Geometry(3, 30000, 30000, 3, 3, 1, 1, 1, 1, 1, 1, 30000, 30000));
        assertTrue(e.getMessage().startsWith("conv2d: one image [C, H, W] has 2700000000 elements"), e.getMessage());
        Im2col.Geometry ok = new Im2col.Geometry(3, 20000, 20000, 3, 3, 1, 1, 1, 1, 1, 1, 20000, 20000);
        IllegalArgumentException col = assertThrows(IllegalArgumentException.class, ok::colSize);
        assertTrue(col.getMessage().startsWith("conv2d: the column matrix [C·kH·kW, outH·outW] has 10800000000 elements"),
                col.getMessage());
    }
}
