package org.jgrad.vision.filters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FilterSpecTest {
    @Test
    void parsesTheDocumentedSpecs() {
        assertTrue(FilterSpec.parse("sobel").isMagnitude());
        assertEquals(FilterSpec.Output.ABS_SCALED, FilterSpec.parse("sobel-x").output());
        assertArrayEquals(new int[] {11, 11}, FilterSpec.parse("gaussian:1.5").kernels().get(0).shape());
        assertArrayEquals(new int[] {7, 7}, FilterSpec.parse("gaussian:1.5:7").kernels().get(0).shape());
        assertArrayEquals(new int[] {5, 5}, FilterSpec.parse("mean:5").kernels().get(0).shape());
        assertEquals(1f, FilterSpec.parse("random-uniform:5").kernels().get(0).sum().item(), 1e-5f);
        assertEquals(50f, FilterSpec.parse("random-normal:5").kernels().get(0).sum().item(), 1e-5f);
        for (String s : new String[] {"sharpen", "laplacian", "emboss", "prewitt", "Gaussian5x5", " box "})
            FilterSpec.parse(s);
        assertEquals(FilterSpec.Output.CLAMP, FilterSpec.parse("sharpen").output());
    }

    @Test
    void unknownOrMalformedSpecsAreClearErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> FilterSpec.parse("blur"));
        assertTrue(e.getMessage().contains("'blur'") && e.getMessage().contains("gaussian"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FilterSpec.parse("gaussian:abc"));
        assertTrue(e.getMessage().contains("gaussian:abc"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FilterSpec.parse("sobel:3"));
        assertTrue(e.getMessage().contains("sobel:3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FilterSpec.parse("gaussian:-1"));
        assertTrue(e.getMessage().contains("sigma"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FilterSpec.parse(""));
    }
}
