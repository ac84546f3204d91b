package org.jgrad.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.loss.Reduction;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code F}'s convolution, pooling, batch-norm, loss functions and {@code bmm} against PyTorch:
 * outputs and input gradients from {@code functional-fixtures.txt}, written by
 * {@code make_functional_fixtures.py} (next to it) with the same arguments as each call here.
 */
class FunctionalTest {

    /** One fixture: float inputs, int64 inputs, the output, the upstream gradient and the recorded input gradients. */
    record Case(Map<String, Tensor> in, Map<String, Tensor> longs, Tensor out, Map<String, Tensor> grads) {}

    private static final Map<String, Case> CASES = new HashMap<>();

    @BeforeAll
    static void load() throws IOException {
        String text;
        try (InputStream s = FunctionalTest.class.getResourceAsStream("functional-fixtures.txt")) {
            text = new String(s.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> lines = text.lines().filter(l -> !l.startsWith("#")).toList();
        String name = null;
        Map<String, Tensor> in = null, longs = null, grads = null;
        Tensor out = null;
        for (int i = 0; i < lines.size(); i++) {
            String[] head = lines.get(i).split(" ");
            switch (head[0]) {
                case "case" -> {
                    name = head[1];
                    in = new LinkedHashMap<>();
                    longs = new LinkedHashMap<>();
                    grads = new LinkedHashMap<>();
                    out = null;
                }
                case "end" -> CASES.put(name, new Case(in, longs, out, grads));
                default -> {
                    int[] shape = head[2].equals("scalar") ? new int[0] : Arrays.stream(head[2].split(",")).mapToInt(Integer::parseInt).toArray();
                    String[] vals = lines.get(++i).split(" ");
                    if (head[0].equals("long")) {
                        longs.put(head[1], TensorData.wrapLongs(Arrays.stream(vals).mapToLong(Long::parseLong).toArray(), shape));
                        continue;
                    }
                    float[] v = new float[vals.length];
                    for (int j = 0; j < v.length; j++) v[j] = Float.parseFloat(vals[j]);
                    Tensor t = shape.length == 0 ? Tensor.scalar(v[0]) : TensorData.wrap(v, shape);
                    switch (head[0]) {
                        case "in" -> in.put(head[1], t);
                        case "out" -> out = t;
                        case "grad" -> grads.put(head[1], t);
                        default -> throw new IllegalStateException("fixture line " + lines.get(i - 1));
                    }
                }
            }
        }
    }

    /** Runs {@code fn} on the case's inputs (gradients on for those torch recorded) and compares output and gradients. */
    private static void check(String name, Function<Map<String, Tensor>, Tensor> fn) {
        Case c = CASES.get(name);
        Map<String, Tensor> args = new HashMap<>(c.longs());
        for (var e : c.in().entrySet())
            args.put(e.getKey(), e.getValue().cloneData().requiresGrad(c.grads().containsKey(e.getKey())));
        Tensor y = fn.apply(args);
        assertArrayEquals(c.out().shape(), y.shape(), name + " shape");
        assertClose(name + " output", c.out(), y);
        if (c.grads().isEmpty()) return;
        y.mul(c.in().get("up")).sum().backward();
        for (var e : c.grads().entrySet()) assertClose(name + " d/d" + e.getKey(), e.getValue(), args.get(e.getKey()).grad());
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++)
            assertEquals(e[i], a[i], 2e-5f + 2e-5f * Math.abs(e[i]), what + " at " + i);
    }

    @Test
    void convolutions() {
        check("conv1d", a -> F.conv1d(a.get("x"), a.get("w"), a.get("b"), 2, 1, 1, 2));
        check("conv2d", a -> F.conv2d(a.get("x"), a.get("w"), a.get("b"), 2, 1, 1, 2));
        check("conv2d_dilated", a -> F.conv2d(a.get("x"), a.get("w"), null, 1, 2, 2, 1));
    }

    @Test
    void pooling() {
        check("max_pool1d", a -> F.maxPool1d(a.get("x"), 3, 2, 1, 1, true));
        check("avg_pool1d", a -> F.avgPool1d(a.get("x"), 3, 2, 1, false, false));
        check("max_pool2d", a -> F.maxPool2d(a.get("x"), 3, 2, 1, 1, true));
        check("avg_pool2d", a -> F.avgPool2d(a.get("x"), 2, 2, 1, false, false));
        check("adaptive_avg_pool2d", a -> F.adaptiveAvgPool2d(a.get("x"), 3, 2));
        check("adaptive_max_pool2d", a -> F.adaptiveMaxPool2d(a.get("x"), 2, 3));
    }

    @Test
    void batchNormInEvaluationAndTraining() {
        check("batch_norm_eval", a -> F.batchNorm(a.get("x"), a.get("rm"), a.get("rv"), a.get("g"), a.get("b"), false, 0.1, 1e-5));
        check("batch_norm_train", a -> F.batchNorm(a.get("x"), null, null, a.get("g"), a.get("b"), true, 0.1, 1e-5));
        Case c = CASES.get("batch_norm_eval");
        Tensor plain = F.batchNorm(c.in().get("x"), c.in().get("rm"), c.in().get("rv"));
        Tensor expected = c.in().get("x").sub(c.in().get("rm").reshape(1, 4, 1, 1))
                .div(c.in().get("rv").add(1e-5f).sqrt().reshape(1, 4, 1, 1));
        assertClose("batch_norm defaults", expected, plain);
    }

    @Test
    void bmm() {
        check("bmm", a -> F.bmm(a.get("a"), a.get("b")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.bmm(Tensor.zeros(2, 3, 4), Tensor.zeros(3, 4, 5)));
        assertTrue(e.getMessage().contains("batch sizes differ"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.bmm(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3, 5)));
        assertThrows(IllegalArgumentException.class, () -> F.bmm(Tensor.zeros(3, 4), Tensor.zeros(4, 5)));
    }

    @Test
    void losses() {
        check("cross_entropy", a -> F.crossEntropy(a.get("x"), a.get("t"), a.get("w"), -100, Reduction.MEAN, 0.1));
        check("cross_entropy_default", a -> F.crossEntropy(a.get("x"), a.get("t")));
        check("nll_loss", a -> F.nllLoss(a.get("x"), a.get("t"), null, -100, Reduction.SUM));
        check("mse_loss", a -> F.mseLoss(a.get("x"), a.get("y")));
        check("l1_loss", a -> F.l1Loss(a.get("x"), a.get("y"), Reduction.SUM));
        check("smooth_l1_loss", a -> F.smoothL1Loss(a.get("x"), a.get("y"), Reduction.MEAN, 0.5));
        check("huber_loss", a -> F.huberLoss(a.get("x"), a.get("y"), Reduction.MEAN, 1.5));
        check("binary_cross_entropy", a -> F.binaryCrossEntropy(a.get("p"), a.get("y"), a.get("w"), Reduction.MEAN));
        check("binary_cross_entropy_with_logits",
                a -> F.binaryCrossEntropyWithLogits(a.get("x"), a.get("y"), null, Reduction.MEAN, a.get("pw")));
    }

    @Test
    void dropoutKeepsOrZeroesAndScalesAndIsIdentityInEvaluation() {
        Tensor x = Tensor.full(1f, 1000);
        Tensor y = F.dropout(x, 0.25, true, new Generator(3));
        int kept = 0;
        for (float v : y.toFloatArray()) {
            assertTrue(v == 0f || Math.abs(v - 4f / 3f) < 1e-6f, "0 or 1/(1-p): " + v);
            if (v != 0f) kept++;
        }
        assertEquals(750, kept, 45, "about 3/4 kept");
        assertTrue(F.dropout(x, 0.25, false) == x, "identity when not training");
        assertArrayEquals(new float[1000], F.dropout(x, 1.0, true).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> F.dropout(x, 1.5, true));
    }
}
