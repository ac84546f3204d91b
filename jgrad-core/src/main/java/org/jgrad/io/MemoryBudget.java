package org.jgrad.io;

import java.util.Locale;

/**
 * How much memory one reader may allocate for what it reads: half the JVM's maximum heap, and never
 * more than a cap of 8 GiB (set {@code -Djgrad.readBudget=<bytes>} with an optional {@code k}, {@code m}
 * or {@code g} suffix to change the cap). Readers check the memory a file's header, or the data
 * decompressed so far, would need against it <em>before</em> allocating, so a small file that claims
 * (or inflates to) gigabytes fails with a message naming the file instead of an
 * {@link OutOfMemoryError}.
 *
 * <p>The budget is a refusal threshold, not an accounting of the heap: a file within it can still
 * exhaust a heap that is already full of other data.
 */
public final class MemoryBudget {
    /** The cap when {@code jgrad.readBudget} is not set: 8 GiB. */
    public static final long DEFAULT_CAP = 8L << 30;

    private MemoryBudget() {}

    /** The budget in bytes: min(max heap / 2, cap). */
    public static long bytes() {
        long heap = Runtime.getRuntime().maxMemory();
        long fromHeap = heap == Long.MAX_VALUE ? Long.MAX_VALUE : heap / 2;
        return Math.min(fromHeap, cap());
    }

    /** The cap: {@code -Djgrad.readBudget}, or {@link #DEFAULT_CAP}. */
    public static long cap() {
        String s = System.getProperty("jgrad.readBudget");
        if (s == null || s.isBlank()) return DEFAULT_CAP;
        try {
            return parse(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("jgrad.readBudget: not a byte count: '" + s + "' (e.g. 4g, 512m, 1000000)");
        }
    }

    static long parse(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        long v = Long.parseLong(t);
        if (v <= 0) throw new NumberFormatException("not positive");
        return Math.multiplyExact(v, unit);
    }

    /** Whether {@code bytes} fits the budget. */
    public static boolean allows(long bytes) {
        return bytes >= 0 && bytes <= bytes();
    }

    /**
     * The end of a refusal message: "needs N MiB for WHAT, more than the memory budget of M MiB (half the
     * JVM heap, at most the jgrad.readBudget cap; raise -Xmx ...)".
     */
    public static String refusal(long bytes, String what) {
        return "needs " + mib(bytes) + " MiB for " + what + ", more than the " + mib(bytes()) + " MiB memory budget"
                + " of a reader (half the JVM heap, at most " + mib(cap()) + " MiB; raise -Xmx, JGRAD_JAVA_OPTS for the"
                + " jgrad command, or -Djgrad.readBudget)";
    }

    private static long mib(long bytes) {
        return bytes < 0 ? Long.MAX_VALUE >> 20 : (bytes + (1 << 20) - 1) >> 20;
    }
}
