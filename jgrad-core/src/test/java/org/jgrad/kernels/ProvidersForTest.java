package org.jgrad.kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * The providers a test should cover in this JVM: always the scalar one, and the vector one when the
 * JVM was started with the incubator module. Tests reach both through here, never through
 * {@code jdk.incubator.vector} types, so they also run (and test the fallback) without the module.
 */
final class ProvidersForTest {
    private ProvidersForTest() {}

    static List<KernelProvider> all() {
        List<KernelProvider> ps = new ArrayList<>();
        ps.add(Kernels.scalar());
        if (Kernels.vectorOrNull() != null) ps.add(Kernels.vectorOrNull());
        return ps;
    }
}
