package org.jgrad.onnx.hardening;

import static org.jgrad.onnx.hardening.FuzzContract.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.jgrad.onnx.Onnx;
import org.jgrad.onnx.OnnxFormatException;
import org.jgrad.onnx.OnnxModel;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link Onnx#load}: the protobuf wire format, the initializers' dims and data, the node
 * checks and the op compilation behind it. Seeds (jgrad's exports of a small MLP and a small CNN, a
 * truncated one, one whose weights sit in an external file, one with an unsupported op, one whose
 * dims claim more than its data) and past findings live in
 * {@code src/test/resources/org/jgrad/onnx/hardening/OnnxFuzzTestInputs/load/}.
 */
class OnnxFuzzTest {
    private static final Path FILE = FuzzContract.scratch(".onnx");

    @FuzzTest(maxDuration = "5s")
    @Timeout(10)
    void load(byte[] data) {
        OnnxModel m = FuzzContract.run(data.length, OnnxFormatException.class, () -> Onnx.load(FuzzContract.write(FILE, data)));
        if (m == null) return;
        require(m.nodeCount() >= 0 && !m.inputNames().isEmpty(), "a model without inputs");
        long elements = 0;
        for (var e : m.stateDict().entrySet()) {
            Tensor t = e.getValue();
            require(t != null, "null tensor " + e.getKey());
            long numel = 1;
            for (int d : t.shape()) {
                require(d >= 0, "negative dimension in " + e.getKey());
                numel *= d;
            }
            require(numel == t.numel(), "numel disagrees with shape for " + e.getKey());
            elements += numel;
        }
        // Every element came from at least one byte of the file (a packed varint is one byte at least).
        require(elements <= data.length, "more elements (" + elements + ") than bytes in the file (" + data.length + ")");
    }
}
