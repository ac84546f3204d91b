package org.jgrad.hardening;

import static org.jgrad.hardening.FuzzContract.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Map;
import org.jgrad.io.SafeTensors;
import org.jgrad.io.SafeTensorsException;
import org.jgrad.io.SafeTensorsFile;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link SafeTensors#load}. Seeds and past findings live in
 * {@code src/test/resources/org/jgrad/hardening/SafeTensorsFuzzTestInputs/load/}. Jazzer fuzzes one
 * {@code @FuzzTest} per JVM, so every target has a class of its own.
 */
class SafeTensorsFuzzTest {
    private static final Path FILE = FuzzContract.scratch(".safetensors");

    @FuzzTest(maxDuration = "5s")
    @Timeout(10)
    void load(byte[] data) {
        SafeTensorsFile f = FuzzContract.run(data.length, SafeTensorsException.class,
                () -> SafeTensors.load(FuzzContract.write(FILE, data)));
        if (f == null) return;
        long bytes = 0;
        for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
            Tensor t = e.getValue();
            require(t != null, "null tensor " + e.getKey());
            long numel = 1;
            for (int d : t.shape()) {
                require(d >= 0, "negative dimension in " + e.getKey());
                numel *= d;
            }
            require(numel == t.numel(), "numel disagrees with shape for " + e.getKey());
            bytes += numel;
        }
        // Every element came from at least one byte of the file.
        require(bytes <= data.length, "more elements (" + bytes + ") than bytes in the file (" + data.length + ")");
    }
}
