package org.jgrad.onnx;

/** The comparison the ONNX tests use: normwise relative error ||a - b|| / ||b||. */
final class Norms {
    private Norms() {}

    static double relativeError(float[] actual, float[] expected) {
        if (actual.length != expected.length)
            throw new AssertionError("lengths differ: " + actual.length + " vs " + expected.length);
        double num = 0, den = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = (double) actual[i] - expected[i];
            num += d * d;
            den += (double) expected[i] * expected[i];
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }
}
