package org.jgrad.hardening;

import static org.jgrad.hardening.FuzzContract.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Map;
import org.jgrad.io.PyTorchCheckpoint;
import org.jgrad.io.PyTorchFormatException;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link PyTorchCheckpoint#read}: zip archives, legacy streams and the restricted unpickler
 * behind both. Seeds (files torch.save wrote, and refused ones: code-running globals, size lies,
 * truncations) and past findings live in
 * {@code src/test/resources/org/jgrad/hardening/PyTorchCheckpointFuzzTestInputs/read/}.
 */
class PyTorchCheckpointFuzzTest {
    private static final Path FILE = FuzzContract.scratch(".pth");

    @FuzzTest(maxDuration = "5s")
    @Timeout(10)
    void read(byte[] data) {
        PyTorchCheckpoint c = FuzzContract.run(data.length, PyTorchFormatException.class,
                () -> PyTorchCheckpoint.read(FuzzContract.write(FILE, data)));
        if (c == null) return;
        require(c.format().equals("zip") || c.format().equals("legacy"), "format " + c.format());
        require(c.wrapperKey() == null || PyTorchCheckpoint.WRAPPER_KEYS.contains(c.wrapperKey()),
                "wrapper key " + c.wrapperKey());
        long elements = 0;
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            Tensor t = e.getValue();
            require(t != null, "null tensor " + e.getKey());
            require(t.numel() == 0 || t.isContiguous(), "tensor " + e.getKey() + " is not contiguous");
            long numel = 1;
            for (int d : t.shape()) {
                require(d >= 0, "negative dimension in " + e.getKey());
                numel *= d;
            }
            require(numel == t.numel(), "numel disagrees with shape for " + e.getKey());
            elements += numel;
        }
        // Strided views (stride 0 included) may repeat storage elements, within the memory budget.
        require(elements * 8 <= PyTorchCheckpoint.defaultBudget(data.length),
                "tensors hold " + elements + " elements, over the budget for a " + data.length + "-byte file");
    }
}
