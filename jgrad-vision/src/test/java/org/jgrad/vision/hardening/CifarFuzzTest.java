package org.jgrad.vision.hardening;

import static org.jgrad.vision.hardening.FuzzContract.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jgrad.data.DataFormatException;
import org.jgrad.data.TensorDataset;
import org.jgrad.vision.datasets.Cifar;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link Cifar#read}. The first byte picks CIFAR-10 (1 label byte, 10 classes) or CIFAR-100
 * (2 label bytes, 100 classes); the rest is the batch file.
 */
class CifarFuzzTest {
    private static final Path FILE = FuzzContract.scratch(".bin");

    @FuzzTest(maxDuration = "5s")
    @Timeout(10)
    void read(byte[] data) {
        if (data.length == 0) return;
        boolean hundred = (data[0] & 1) != 0;
        byte[] body = Arrays.copyOfRange(data, 1, data.length);
        TensorDataset ds = FuzzContract.run(body.length, DataFormatException.class,
                () -> Cifar.read(List.of(FuzzContract.write(FILE, body)), hundred ? 2 : 1, hundred ? 100 : 10));
        if (ds == null) return;
        int record = (hundred ? 2 : 1) + Cifar.PIXELS;
        require(ds.size() * (long) record == body.length, ds.size() + " images from " + body.length + " bytes");
        long[] y = ds.targetTensor().toLongArray();
        for (long v : y) require(v >= 0 && v < (hundred ? 100 : 10), "label " + v);
    }
}
