package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * Which provider the JVM gets. The normal test run has the incubator module and must get the vector
 * kernels; the {@code -Pno-vector} run has not and must fall back to plain Java.
 */
class KernelsTest {

    @Test
    void choiceFollowsTheModuleAndTheSwitch() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        boolean allowed = Boolean.parseBoolean(System.getProperty("jgrad.vector", "true"));
        if (module) assertNotNull(Kernels.vectorOrNull(), "module present but the vector kernels did not load");
        else assertNull(Kernels.vectorOrNull());
        KernelProvider want = module && allowed ? Kernels.vectorOrNull() : Kernels.scalar();
        assertEquals(want, Kernels.DEFAULT);
        assertEquals(want.name(), Kernels.implementation());
    }
}
