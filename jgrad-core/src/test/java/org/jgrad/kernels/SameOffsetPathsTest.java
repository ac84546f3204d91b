package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scalar provider runs its elementwise loops in a separate form when every array starts at the same
 * offset (the only form C2 vectorizes). Each kernel, called with equal offsets (into separate arrays
 * and in place), must give exactly the bits of the same call with the operands at different offsets.
 */
class SameOffsetPathsTest {
    private static final int[] LENGTHS = {0, 1, 7, 15, 16, 17, 63, 64, 65, 255, 1000};

    static Stream<KernelProvider> providers() {
        return ProvidersForTest.all().stream();
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = i % 11 == 5 ? Float.NaN : i % 13 == 3 ? -0f : (float) rnd.nextGaussian();
        return a;
    }

    /** src[from..from+len) copied to a fresh array at offset {@code to}, with garbage around it. */
    private static float[] at(float[] src, int from, int to, int len) {
        float[] d = new float[to + len + 5];
        java.util.Arrays.fill(d, 777f);
        System.arraycopy(src, from, d, to, len);
        return d;
    }

    private static void sameBits(float[] want, int wo, float[] got, int go, int len, String what) {
        for (int j = 0; j < len; j++)
            assertEquals(Float.floatToRawIntBits(want[wo + j]), Float.floatToRawIntBits(got[go + j]), what + " at " + j);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void binaryAndScalarOps(KernelProvider kp) {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int len : LENGTHS)
            for (Elementwise.Binary op : new Elementwise.Binary[] {Elementwise.Binary.ADD, Elementwise.Binary.SUB,
                    Elementwise.Binary.MUL, Elementwise.Binary.DIV}) {
                float[] a = random(rnd, len + 4), b = random(rnd, len + 6), ref = new float[len + 1];
                kp.binary(op, a, 4, b, 6, ref, 1, len);
                float[] a2 = at(a, 4, 2, len), b2 = at(b, 6, 2, len), out = new float[len + 2];
                kp.binary(op, a2, 2, b2, 2, out, 2, len);
                sameBits(ref, 1, out, 2, len, kp.name() + " " + op + " len " + len);
                kp.binary(op, a2, 2, b2, 2, a2, 2, len); // in place
                sameBits(ref, 1, a2, 2, len, kp.name() + " in-place " + op + " len " + len);
                for (boolean swapped : new boolean[] {false, true}) {
                    float s = 1.25f;
                    kp.binaryScalar(op, a, 4, s, ref, 1, len, swapped);
                    float[] a3 = at(a, 4, 3, len), out3 = new float[len + 3];
                    kp.binaryScalar(op, a3, 3, s, out3, 3, len, swapped);
                    sameBits(ref, 1, out3, 3, len, kp.name() + " scalar " + op + " swapped=" + swapped + " len " + len);
                }
            }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void reluAndItsBackward(KernelProvider kp) {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int len : LENGTHS) {
            float[] x = random(rnd, len + 3), ref = new float[len + 1];
            kp.relu(x, 3, ref, 1, len);
            float[] x2 = at(x, 3, 1, len);
            kp.relu(x2, 1, x2, 1, len);
            sameBits(ref, 1, x2, 1, len, kp.name() + " relu len " + len);
            float[] g = random(rnd, len + 2), y = random(rnd, len + 5), dref = new float[len + 4];
            kp.reluBackward(g, 2, y, 5, dref, 4, len);
            float[] g2 = at(g, 2, 0, len), y2 = at(y, 5, 0, len), d2 = new float[len];
            kp.reluBackward(g2, 0, y2, 0, d2, 0, len);
            sameBits(dref, 4, d2, 0, len, kp.name() + " relu backward len " + len);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void batchNormRows(KernelProvider kp) {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int len : LENGTHS) {
            float[] x = random(rnd, len + 3), g = random(rnd, len + 4), ref = new float[len + 2], dref = new float[len + 1];
            kp.scaleShift(x, 3, 0.7f, -0.2f, ref, 2, len);
            kp.batchNormBackward(g, 4, x, 3, 0.1f, 1.3f, 0.9f, 0.05f, -0.4f, dref, 1, len);
            float[] x2 = at(x, 3, 2, len), g2 = at(g, 4, 2, len), out = new float[len + 2], dx = new float[len + 2];
            kp.scaleShift(x2, 2, 0.7f, -0.2f, out, 2, len);
            kp.batchNormBackward(g2, 2, x2, 2, 0.1f, 1.3f, 0.9f, 0.05f, -0.4f, dx, 2, len);
            sameBits(ref, 2, out, 2, len, kp.name() + " scaleShift len " + len);
            sameBits(dref, 1, dx, 2, len, kp.name() + " batchNormBackward len " + len);
        }
    }
}
