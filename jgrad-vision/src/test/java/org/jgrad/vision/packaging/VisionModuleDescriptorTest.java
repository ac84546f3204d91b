package org.jgrad.vision.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.jgrad.vision.models.Models;
import org.junit.jupiter.api.Test;

/**
 * The compiled module-info of jgrad-vision: named {@code org.jgrad.vision}, every package exported
 * to everyone (it has no internal ones), and jgrad-core required transitively so that a user's
 * {@code requires org.jgrad.vision} also reads the Tensor in its signatures.
 */
class VisionModuleDescriptorTest {

    @Test
    void everyPackageIsExportedAndCoreIsTransitive() throws Exception {
        Path where = Path.of(Models.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        var modules = ModuleFinder.of(where).findAll();
        assertEquals(1, modules.size(), "expected one module at " + where + ", found " + modules);
        ModuleDescriptor d = modules.iterator().next().descriptor();
        assertEquals("org.jgrad.vision", d.name());

        Set<String> unexported = new TreeSet<>(d.packages());
        for (ModuleDescriptor.Exports e : d.exports()) {
            assertTrue(e.targets().isEmpty(), e.source() + " is exported only to " + e.targets());
            unexported.remove(e.source());
        }
        assertTrue(unexported.isEmpty(), "packages not exported in module-info.java: " + unexported);

        boolean coreTransitive = d.requires().stream().anyMatch(r -> r.name().equals("org.jgrad.core")
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
        assertTrue(coreTransitive, "org.jgrad.vision must require org.jgrad.core transitively");
    }
}
