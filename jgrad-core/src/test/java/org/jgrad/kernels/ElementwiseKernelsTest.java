package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jgrad.kernels.Elementwise.Binary;
import org.jgrad.kernels.Elementwise.Unary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The provider-backed elementwise rows against the plain formulas, on both providers. */
class ElementwiseKernelsTest {

    static Stream<KernelProvider> providers() {
        return ProvidersForTest.all().stream();
    }

    private static final int[] LENGTHS = {0, 1, 3, 15, 16, 17, 33, 100};

    private static float apply(Binary op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> Elementwise.pow(x, y);
            case MAX -> Elementwise.max(x, y);
            case MIN -> Elementwise.min(x, y);
        };
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextDouble() * 4 - 2);
        return v;
    }

    @ParameterizedTest
    @MethodSource("providers")
    void rowsMatchFormulaForEveryStridePattern(KernelProvider kp) {
        SplittableRandom rnd = new SplittableRandom(7);
        int[][] strides = {{1, 1}, {1, 0}, {0, 1}, {2, 1}, {1, 3}};
        for (Binary op : Binary.values())
            for (int len : LENGTHS)
                for (int[] st : strides) {
                    int pa = 2, pb = 5, o = 1;
                    float[] a = random(rnd, pa + len * 3 + 1), b = random(rnd, pb + len * 3 + 1);
                    if (op == Binary.POW) for (int i = 0; i < a.length; i++) a[i] = Math.abs(a[i]);
                    float[] out = new float[o + len + 1];
                    Elementwise.row(kp, op, a, pa, st[0], b, pb, st[1], out, o, len);
                    for (int j = 0; j < len; j++) {
                        float want = apply(op, a[pa + j * st[0]], b[pb + j * st[1]]);
                        assertEquals(want, out[o + j], 0f, kp.name() + " " + op + " len=" + len + " strides="
                                + st[0] + "," + st[1] + " j=" + j);
                    }
                    assertEquals(0f, out[0], kp.name() + " wrote before the row");
                    assertEquals(0f, out[o + len], kp.name() + " wrote after the row");
                }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void reluKeepsNaNAndZeroesNegatives(KernelProvider kp) {
        for (int len : LENGTHS) {
            float[] x = new float[len + 3];
            for (int i = 0; i < x.length; i++) x[i] = switch (i % 5) {
                case 0 -> Float.NaN;
                case 1 -> -0f;
                case 2 -> -i;
                case 3 -> i;
                default -> Float.POSITIVE_INFINITY;
            };
            float[] out = new float[len + 2];
            Elementwise.unary(kp, Unary.RELU, x, 3, out, 1, len);
            for (int j = 0; j < len; j++) {
                float v = x[3 + j], want = Float.isNaN(v) ? Float.NaN : Math.max(v, 0f);
                assertEquals(want, out[1 + j], kp.name() + " relu(" + v + ")");
                if (v == 0f) assertEquals(0, Float.floatToIntBits(out[1 + j]), "relu(-0) is +0");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void reluBackwardIsGradientTimesPositiveMask(KernelProvider k) {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int len : LENGTHS) {
            float[] g = random(rnd, len + 3), y = random(rnd, len + 5), dst = new float[len + 2];
            for (int i = 0; i < y.length; i += 4) y[i] = (i % 8 == 0) ? 0f : -0f; // the kink
            for (int i = 1; i < g.length; i += 7) g[i] = Float.NaN;              // NaN·0 stays NaN
            for (int i = 2; i < y.length; i += 9) y[i] = Float.NaN;             // NaN output: not > 0
            Elementwise.reluBackward(k, g, 3, y, 5, dst, 2, len);
            for (int j = 0; j < len; j++) {
                float want = g[3 + j] * (y[5 + j] > 0f ? 1f : 0f);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(dst[2 + j]), "len " + len + " at " + j);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void relu6AndItsBackwardKeepTheScalarSelectsBits(KernelProvider k) {
        SplittableRandom rnd = new SplittableRandom(11);
        float[] special = {0f, -0f, 6f, -6f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 5.999999f, 1e-30f};
        for (int len : LENGTHS) {
            float[] x = random(rnd, len + 3), g = random(rnd, len + 4), out = new float[len + 2], dx = new float[len + 1];
            for (int i = 0; i < x.length; i++) x[i] *= 5f;
            for (int i = 0; i < x.length; i += 3) x[i] = special[(i / 3) % special.length];
            for (int i = 1; i < g.length; i += 7) g[i] = Float.NaN;
            k.relu6(x, 3, out, 2, len);
            k.relu6Backward(g, 4, x, 3, dx, 1, len);
            for (int j = 0; j < len; j++) {
                float v = x[3 + j];
                float want = v < 0f ? 0f : (v > 6f ? 6f : v), wantGrad = g[4 + j] * (v > 0f && v < 6f ? 1f : 0f);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(out[2 + j]), "relu6, len " + len + " at " + j);
                assertEquals(Float.floatToIntBits(wantGrad), Float.floatToIntBits(dx[1 + j]), "relu6 backward, len " + len + " at " + j);
            }
        }
    }

    /** Batch norm's output and input-gradient rows: the scalar formulas' exact bits (no FMA, same order). */
    @ParameterizedTest
    @MethodSource("providers")
    void batchNormRowsMatchTheScalarFormulasBitForBit(KernelProvider k) {
        SplittableRandom rnd = new SplittableRandom(10);
        for (int len : LENGTHS) {
            float[] x = random(rnd, len + 3), g = random(rnd, len + 4), out = new float[len + 2], dx = new float[len + 2];
            float a = (float) rnd.nextGaussian(), b = (float) rnd.nextGaussian(), mu = (float) rnd.nextGaussian(),
                    is = 1.7f, kk = (float) rnd.nextGaussian(), mdy = 0.3f, mdyx = (float) rnd.nextGaussian();
            k.scaleShift(x, 3, a, b, out, 2, len);
            k.batchNormBackward(g, 4, x, 3, mu, is, kk, mdy, mdyx, dx, 1, len);
            for (int j = 0; j < len; j++) {
                assertEquals(Float.floatToIntBits(x[3 + j] * a + b), Float.floatToIntBits(out[2 + j]), "len " + len + " at " + j);
                float xhat = (x[3 + j] - mu) * is;
                assertEquals(Float.floatToIntBits(kk * (g[4 + j] - mdy - xhat * mdyx)), Float.floatToIntBits(dx[1 + j]),
                        "len " + len + " at " + j);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void softmaxRowsMatchDoubleExp(KernelProvider kp) {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int len : new int[] {0, 1, 15, 16, 17, 100, 10_000}) {
            float[] x = random(rnd, len + 3);
            double expect = 0;
            for (int j = 0; j < len; j++) expect += Math.exp((double) x[3 + j] - 0.5);
            assertEquals(expect, kp.sumExpShifted(x, 3, len, 0.5f), 1e-6 * Math.max(1, expect), "sum, length " + len);
            float[] out = new float[len + 1];
            kp.expShiftedScaled(x, 3, 0.5f, -2f, out, 1, len);
            for (int j = 0; j < len; j++)
                assertEquals(-2 * Math.exp((double) x[3 + j] - 0.5), out[1 + j], 3e-6 * Math.abs(out[1 + j]),
                        "element " + j + " of " + len);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void gateNonlinearitiesMatchDoubleFormulas(KernelProvider kp) {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int len : new int[] {0, 1, 15, 16, 17, 100}) {
            float[] x = random(rnd, len + 2);
            for (int j = 0; j < x.length; j++) x[j] *= 10;                // saturated ends included
            float[] sg = x.clone(), th = x.clone();
            kp.sigmoidInPlace(sg, 2, len);
            kp.tanhInPlace(th, 2, len);
            for (int j = 0; j < len; j++) {
                double v = x[2 + j];
                assertEquals(1 / (1 + Math.exp(-v)), sg[2 + j], 1e-6, "sigmoid of " + v);
                assertEquals(Math.tanh(v), th[2 + j], 1e-6, "tanh of " + v);
            }
            assertEquals(x[0], sg[0]);
            assertEquals(x[1], th[1]);
        }
    }
}
