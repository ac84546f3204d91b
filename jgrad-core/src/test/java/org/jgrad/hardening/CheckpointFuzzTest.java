package org.jgrad.hardening;

import static org.jgrad.hardening.FuzzContract.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Map;
import org.jgrad.io.Checkpoint;
import org.jgrad.io.SafeTensorsException;
import org.jgrad.tensor.Generator;
import org.junit.jupiter.api.Timeout;

/** Fuzzes {@link Checkpoint#load}: what loads must also be restorable by {@code Trainer.resume}. */
class CheckpointFuzzTest {
    private static final Path FILE = FuzzContract.scratch(".safetensors");

    @FuzzTest(maxDuration = "5s")
    @Timeout(10)
    void load(byte[] data) {
        Checkpoint ck = FuzzContract.run(data.length, SafeTensorsException.class,
                () -> Checkpoint.load(FuzzContract.write(FILE, data)));
        if (ck == null) return;
        require(ck.epoch() >= 0 && ck.epoch() <= Integer.MAX_VALUE, "epoch " + ck.epoch());
        require(ck.step() >= 0, "step " + ck.step());
        for (Map.Entry<String, long[]> e : ck.rngStates().entrySet()) {
            try {
                new Generator(0).setState(e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new AssertionError("loaded a checkpoint whose RNG state '" + e.getKey() + "' cannot be restored: "
                        + ex.getMessage(), ex);
            }
        }
    }
}
