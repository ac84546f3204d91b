package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.io.SafeTensors;
import org.jgrad.tensor.Tensor;

/** Reads the reference files PyTorch wrote for the sequence layers (resources org/jgrad/nn/seq, see make_seq_fixtures.py). */
final class SeqFixtures {
    private SeqFixtures() {}

    /** The acceptance bound: normwise relative error ‖actual − expected‖ / ‖expected‖. */
    static final double TOLERANCE = 1e-5;

    static Path resource(String file) {
        String resource = "seq/" + file;
        try (InputStream in = SeqFixtures.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing test resource " + resource);
            Path tmp = Files.createTempFile("seq-", "-" + file);
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Tensor> load(String name) {
        Path tmp = resource(name + ".safetensors");
        try {
            return SafeTensors.load(tmp).tensors();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            tmp.toFile().delete();
        }
    }

    /** The entries under {@code prefix + "."}, without the prefix. */
    static Map<String, Tensor> group(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new HashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix + ".")) out.put(k.substring(prefix.length() + 1), v);
        });
        return out;
    }

    /** ‖a − e‖ / ‖e‖ (‖a − e‖ when e is 0). */
    static double relativeError(Tensor expected, Tensor actual) {
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        double num = 0, den = 0;
        for (int i = 0; i < e.length; i++) {
            num += ((double) a[i] - e[i]) * ((double) a[i] - e[i]);
            den += (double) e[i] * e[i];
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    /** Same shape, and normwise relative error within {@link #TOLERANCE}. */
    static double assertNormwise(Tensor expected, Tensor actual, String what) {
        assertNotNull(actual, what + ": no tensor");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double err = relativeError(expected, actual);
        assertTrue(err <= TOLERANCE, what + ": normwise relative error " + err + " exceeds " + TOLERANCE);
        return err;
    }

    /** Copies every fixture entry that names one of the module's parameters into it. */
    static void loadParameters(Module m, Map<String, Tensor> f) {
        try (var g = NoGrad.enter()) {
            m.namedParameters().forEach((name, p) -> {
                Tensor v = f.get(name);
                assertNotNull(v, "fixture lacks parameter " + name);
                p.copyInPlace(v);
            });
        }
    }

    /** Every parameter's gradient against the fixture's "d" + name; returns the largest error. */
    static double assertParameterGrads(Module m, Map<String, Tensor> f, String what) {
        double worst = 0;
        for (var e : m.namedParameters().entrySet())
            worst = Math.max(worst, assertNormwise(f.get("d" + e.getKey()), e.getValue().grad(), what + " d" + e.getKey()));
        return worst;
    }
}
