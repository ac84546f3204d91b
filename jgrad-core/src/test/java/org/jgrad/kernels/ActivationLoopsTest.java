package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ActivationLoopsTest {

    @Test
    void erfMatchesKnownValues() {
        assertEquals(0.0, ActivationLoops.erf(0), 2e-7);
        assertEquals(0.8427007929497149, ActivationLoops.erf(1), 2e-7);
        assertEquals(-0.9953222650189527, ActivationLoops.erf(-2), 2e-7);
        assertEquals(0.5204998778130465, ActivationLoops.erf(0.5), 2e-7);
    }
}
