package org.jgrad.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The compiled module-info of jgrad-core: its name is the one users write in {@code requires}, and
 * every package is exported except the internal ones, which go to jgrad's own modules only. A new
 * package fails this test until module-info.java says which of the two it is (docs/design.md).
 */
class CoreModuleDescriptorTest {

    /** Not API: exported only to these modules. */
    static final Map<String, Set<String>> INTERNAL = Map.of(
            "org.jgrad.kernels", Set.of("org.jgrad.vision", "org.jgrad.cli", "org.jgrad.bench", "org.jgrad.playground",
                    "org.jgrad.spark"),
            "org.jgrad.backend", Set.of("org.jgrad.vision", "org.jgrad.cli", "org.jgrad.bench", "org.jgrad.playground",
                    "org.jgrad.spark", "org.jgrad.onnx", "org.jgrad.keras", "org.jgrad.monitor"),
            "org.jgrad.internal", Set.of("org.jgrad.vision", "org.jgrad.cli", "org.jgrad.bench", "org.jgrad.playground",
                    "org.jgrad.spark", "org.jgrad.onnx", "org.jgrad.keras", "org.jgrad.monitor"));

    /**
     * Packages that no other module may read: the CPU backend's implementation classes, reached only
     * through {@code ServiceLoader} ({@code provides} in module-info.java).
     */
    static final Set<String> CONCEALED = Set.of("org.jgrad.backend.cpu");

    static ModuleDescriptor descriptorOf(Class<?> cls) throws URISyntaxException {
        // The tests run on the class path, so the module is read from where the classes were built.
        Path where = Path.of(cls.getProtectionDomain().getCodeSource().getLocation().toURI());
        var modules = ModuleFinder.of(where).findAll();
        assertEquals(1, modules.size(), "expected one module at " + where + ", found " + modules);
        return modules.iterator().next().descriptor();
    }

    @Test
    void everyPackageIsExportedUnlessInternal() throws URISyntaxException {
        ModuleDescriptor d = descriptorOf(Tensor.class);
        assertEquals("org.jgrad.core", d.name());
        Map<String, Set<String>> exported = new TreeMap<>();
        for (ModuleDescriptor.Exports e : d.exports()) exported.put(e.source(), e.targets());
        Set<String> unlisted = new TreeSet<>(d.packages());
        unlisted.removeAll(exported.keySet());
        unlisted.removeAll(CONCEALED);
        assertTrue(unlisted.isEmpty(), "packages neither exported nor listed as internal in module-info.java: " + unlisted);
        for (var e : exported.entrySet()) {
            Set<String> expectedTargets = INTERNAL.getOrDefault(e.getKey(), Set.of());
            assertEquals(expectedTargets, e.getValue(),
                    e.getKey() + ": exported to " + (e.getValue().isEmpty() ? "everyone" : e.getValue()));
        }
    }

    @Test
    void needsNothingBeyondTheJdkAndTheVectorApiIsOptional() throws URISyntaxException {
        ModuleDescriptor d = descriptorOf(Tensor.class);
        Set<String> required = new TreeSet<>();
        for (ModuleDescriptor.Requires r : d.requires()) {
            required.add(r.name());
            if (r.name().equals("jdk.incubator.vector"))
                assertTrue(r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC),
                        "jdk.incubator.vector must stay optional (requires static): jgrad runs without it");
        }
        assertEquals(Set.of("java.base", "jdk.incubator.vector"), required);
    }
}
