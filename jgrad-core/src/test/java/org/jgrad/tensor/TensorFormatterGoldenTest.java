package org.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jgrad.internal.TensorData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden strings from a line-by-line Python transcription of PyTorch's {@code torch/_tensor_str.py}
 * (default print options), run over 184 tensors: ranks 0-4, empty, summarized (> 1000 elements),
 * magnitudes from 1e-6 to 1e11, NaN/±inf/-0 injected, int64, requires_grad. Each tensor is rebuilt
 * here from its spec with the same double arithmetic, so the values are bit-identical.
 */
class TensorFormatterGoldenTest {

    static Tensor build(String spec) {
        String shapeS = "", special = "";
        long seed = 0;
        int div = 1;
        double scale = 1;
        boolean isInt = false, grad = false;
        for (String kv : spec.split(";")) {
            String[] p = kv.split("=", 2);
            switch (p[0]) {
                case "shape" -> shapeS = p[1];
                case "seed" -> seed = Long.parseLong(p[1]);
                case "div" -> div = Integer.parseInt(p[1]);
                case "scale" -> scale = Double.parseDouble(p[1]);
                case "special" -> special = p[1];
                case "int" -> isInt = p[1].equals("1");
                case "grad" -> grad = p[1].equals("1");
                default -> throw new IllegalArgumentException(kv);
            }
        }
        int[] shape = shapeS.isEmpty() ? new int[0] : java.util.Arrays.stream(shapeS.split(",")).mapToInt(Integer::parseInt).toArray();
        int n = Shape.numel(shape);
        if (isInt) {
            long[] d = new long[n];
            for (int k = 0; k < n; k++) d[k] = ((k * 7919L + seed) % 1000 - 500) * (long) scale;
            return TensorData.wrapLongs(d, shape);
        }
        float[] d = new float[n];
        for (int k = 0; k < n; k++) d[k] = (float) (((k * 7919L + seed) % 1000 - 500) / (double) div * scale);
        if (!special.isEmpty())
            for (String s : special.split(",")) {
                String[] kp = s.split("@");
                d[Integer.parseInt(kp[1])] = switch (kp[0]) {
                    case "nan" -> Float.NaN;
                    case "inf" -> Float.POSITIVE_INFINITY;
                    case "-inf" -> Float.NEGATIVE_INFINITY;
                    case "-0" -> -0f;
                    default -> 0f;
                };
            }
        return TensorData.wrap(d, shape).requiresGrad(grad);
    }

    @TestFactory
    List<DynamicTest> matchesPyTorchTranscription() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (var in = getClass().getResourceAsStream("formatter-golden.txt");
                var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) continue;
                String spec = line, expected = r.readLine().replace("\\n", "\n").replace("\\\\", "\\");
                tests.add(dynamicTest(spec, () -> assertEquals(expected, build(spec).toString(), spec)));
            }
        }
        assertTrue(tests.size() > 150);
        return tests;
    }
}
