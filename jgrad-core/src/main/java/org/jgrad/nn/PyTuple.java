package org.jgrad.nn;

/** Python's {@code repr} of int tuples, so layer printouts read like PyTorch's ({@code (3, 3)}, {@code (3,)}). */
final class PyTuple {
    private PyTuple() {}

    /** {@code (a, b, ...)}, with the trailing comma Python writes for a one-element tuple. */
    static String of(int... values) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) b.append(i == 0 ? "" : ", ").append(values[i]);
        return b.append(values.length == 1 ? ",)" : ")").toString();
    }

    /** A bare int when both values agree and the caller passed an int, else the pair. */
    static String intOrPair(int a, int b, boolean asTuple) {
        return !asTuple && a == b ? Integer.toString(a) : of(a, b);
    }
}
