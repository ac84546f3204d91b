package org.jgrad.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgrad.kernels.Kernels;
import org.junit.jupiter.api.Test;

class BackendsTest {

    @Test
    void bothCpuBackendsAreFoundAndExactlyOneCanRun() {
        List<String> names = Backends.all().stream().map(Backend::name).toList();
        assertEquals(List.of("cpu", "cpu-scalar"), names, "found in priority order");
        long available = Backends.all().stream().filter(b -> b.unavailableReason() == null).count();
        assertEquals(1, available, "the vector and scalar CPU backends exclude each other");
    }

    @Test
    void theChosenBackendRunsTheKernelsThatRun() {
        Backend b = Backends.current();
        assertNull(b.unavailableReason());
        assertEquals(Kernels.vectorUnavailableReason() == null ? "cpu" : "cpu-scalar", b.name());
        assertTrue(b.description().contains(Kernels.implementation()), b.description());
        assertTrue(b.conv() != null && b.optimizers() != null && b.random() != null);
    }

    @Test
    void aNamedBackendIsChosenOrRefusedNeverSilentlyReplaced() {
        Backend running = Backends.current();
        assertEquals(running, Backends.choose(Backends.all(), running.name()));
        assertEquals(running, Backends.choose(Backends.all(), " "));
        IllegalStateException unknown = assertThrows(IllegalStateException.class,
                () -> Backends.choose(Backends.all(), "cuda"));
        assertTrue(unknown.getMessage().contains("-Djgrad.backend=cuda names no backend")
                && unknown.getMessage().contains("cpu-scalar"), unknown.getMessage());
        Backend other = Backends.all().stream().filter(b -> b != running).findFirst().orElseThrow();
        IllegalStateException cannot = assertThrows(IllegalStateException.class,
                () -> Backends.choose(Backends.all(), other.name()));
        assertTrue(cannot.getMessage().contains("cannot run: " + other.unavailableReason()), cannot.getMessage());
        assertThrows(IllegalStateException.class, () -> Backends.choose(List.of(), null));
    }

    @Test
    void heapStoragesShareTheirArrays() {
        float[] a = {1, 2, 3};
        FloatStorage f = FloatStorage.wrap(a);
        assertTrue(f.array() == a);
        assertEquals(3, f.length());
        assertEquals("float32", f.dtype());
        assertEquals("int64", LongStorage.allocate(2).dtype());
        assertThrows(IllegalArgumentException.class, () -> FloatStorage.allocate(-1));
    }
}
