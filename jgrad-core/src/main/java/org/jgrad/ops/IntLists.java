package org.jgrad.ops;

import java.util.List;

/** Immutable {@code List<Integer>} copies of int arrays, for the attribute records. */
final class IntLists {
    private IntLists() {}

    /** An unmodifiable copy; null gives an empty list. */
    static List<Integer> of(int[] a) {
        if (a == null) return List.of();
        Integer[] boxed = new Integer[a.length];
        for (int i = 0; i < a.length; i++) boxed[i] = a[i];
        return List.of(boxed);
    }
}
