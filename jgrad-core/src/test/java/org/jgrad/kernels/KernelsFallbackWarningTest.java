package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The fallback warning is the only hint an IDE or Surefire user gets: it must price it and name the fix. */
class KernelsFallbackWarningTest {

    /** A factor and a measured example, e.g. "20x slower (one epoch: 254 s instead of 12 s)". */
    static final java.util.regex.Pattern PRICE = java.util.regex.Pattern.compile("\\d+(\\.\\d+)?x slower \\(.*\\d+ s instead of \\d+ s\\)");

    @Test
    void missingModuleWarningSaysHowMuchSlowerAndTheExactFlag() {
        String w = Kernels.fallbackWarning("the JVM was started without --add-modules jdk.incubator.vector");
        assertFalse(w.contains("\n"), "one line: " + w);
        assertTrue(PRICE.matcher(w).find(), "says how much slower: " + w);
        assertTrue(w.contains("Fix: add the JVM option --add-modules jdk.incubator.vector"), w);
    }

    @Test
    void deliberateFallbackIsNotToldToAddTheModule() {
        String w = Kernels.fallbackWarning("disabled by -Djgrad.vector=false");
        assertTrue(PRICE.matcher(w).find(), "says how much slower: " + w);
        assertFalse(w.contains("Fix:"), w);
    }
}
