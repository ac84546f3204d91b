package org.jgrad.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;

/**
 * ONNX Runtime (its Java API, a test dependency) as the reference that runs jgrad's exported files.
 * Where its native library cannot load on this machine the tests that need it are skipped, saying
 * so, rather than failing.
 */
final class OrtRunner {
    private OrtRunner() {}

    private static final String UNAVAILABLE;

    static {
        String why = null;
        try {
            OrtEnvironment.getEnvironment();
        } catch (Throwable t) {
            why = t.getClass().getSimpleName() + ": " + t.getMessage();
        }
        UNAVAILABLE = why;
    }

    static boolean available() {
        return UNAVAILABLE == null;
    }

    static String why() {
        return UNAVAILABLE;
    }

    /** Skips the calling test when ONNX Runtime's native library did not load. */
    static void assumeAvailable() {
        Assumptions.assumeTrue(UNAVAILABLE == null, "ONNX Runtime's native library cannot load here (" + UNAVAILABLE
                + "); the checks against ONNX Runtime are skipped");
    }

    /** Runs the model in {@code bytes} on {@code x} (float32, or int64 token ids, fed to its one input) and returns its first output. */
    static float[] run(byte[] bytes, Tensor x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            // The reference, not a speed contest: no graph rewrites that change rounding.
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(bytes, o)) {
                String input = s.getInputNames().iterator().next();
                long[] shape = java.util.Arrays.stream(x.shape()).asLongStream().toArray();
                try (OnnxTensor t = x.dtype() == org.jgrad.tensor.DType.INT64
                                ? OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(x.contiguous().toLongArray()), shape)
                                : OnnxTensor.createTensor(env, FloatBuffer.wrap(x.contiguous().toFloatArray()), shape);
                        OrtSession.Result r = s.run(Map.of(input, t))) {
                    OnnxTensor out = (OnnxTensor) r.get(0);
                    FloatBuffer fb = out.getFloatBuffer();
                    float[] v = new float[fb.remaining()];
                    fb.get(v);
                    return v;
                }
            }
        }
    }
}
