package org.jgrad.keras.hardening;

import static org.jgrad.keras.hardening.FuzzContract.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.jgrad.keras.KerasFile;
import org.jgrad.keras.KerasFormatException;
import org.jgrad.keras.KerasConfigModel;
import org.jgrad.keras.LayerWeights;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link KerasFile#read} (zip archive, config JSON, HDF5 through jhdf) and, for what reads, building
 * the model from its config and loading its weights ({@link KerasConfigModel#load}). Seeds (small files Keras
 * wrote, and refused ones) and past findings live in
 * {@code src/test/resources/org/jgrad/keras/hardening/KerasFileFuzzTestInputs/read/}.
 */
class KerasFileFuzzTest {
    private static final Path FILE = FuzzContract.scratch(".keras");

    @FuzzTest(maxDuration = "5s")
    @Timeout(10)
    void read(byte[] data) {
        // Inflated archive entries are input the reader may legitimately hold.
        long size = data.length + FuzzContract.unzippedSize(data, 1L << 30);
        KerasFile k = FuzzContract.run(size, KerasFormatException.class, () -> KerasFile.read(FuzzContract.write(FILE, data)));
        if (k == null) return;
        long values = 0;
        for (LayerWeights w : k.layers().values()) {
            require(w.names().size() == w.arrays().size(), "names and arrays of " + w.layer());
            for (Tensor t : w.arrays()) {
                require(t != null && (t.numel() == 0 || t.isContiguous()), "array of " + w.layer());
                values += t.numel();
            }
        }
        require(values <= size, values + " values from a " + size + "-byte input");
        if (k.config() == null) return;
        KerasConfigModel m = FuzzContract.run(size, KerasFormatException.class, () -> KerasConfigModel.load(FILE));
        if (m != null) require(!m.isTraining(), "a loaded model is in eval mode");
    }
}
