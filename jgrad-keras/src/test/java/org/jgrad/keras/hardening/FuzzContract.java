package org.jgrad.keras.hardening;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The contract every fuzz target checks: a reader either returns a result (which the target then
 * checks for well-formedness) or throws the documented exception type with a non-empty message.
 * Anything else, an out-of-memory error included, is turned into an {@link AssertionError} that
 * names the problem, which Jazzer records as a finding.
 *
 * <p>Allocation is measured per input with the JVM's per-thread allocation counter, so a header
 * that makes a reader allocate gigabytes is caught deterministically, long before a small -Xmx
 * would notice, and independently of how much heap the test JVM happens to have.
 *
 * <p>The same as jgrad-core's and jgrad-vision's {@code org.jgrad.hardening.FuzzContract}: test classes do not cross
 * modules, and a test-jar is more build than 80 lines are worth.
 */
public final class FuzzContract {
    private FuzzContract() {}

    /** Allocation allowed for any input: JSON trees, buffers, a tensor or two of bookkeeping. */
    public static final long BASE_ALLOCATION = 32L << 20;
    /** Allocation allowed per input byte: int8 data widens to int64 (8x), plus object overhead. */
    public static final long ALLOCATION_PER_BYTE = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final java.lang.management.ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

    /**
     * Runs {@code reader}; returns its result, or null if it threw {@code documented} properly.
     *
     * @param inputBytes size of the input the reader sees (decompressed size where the format is compressed)
     */
    public static <T> T run(long inputBytes, Class<? extends Exception> documented, Callable<T> reader) {
        long classesBefore = CLASSES.getTotalLoadedClassCount();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        T result;
        try {
            result = reader.call();
        } catch (OutOfMemoryError e) {
            throw new AssertionError("reader ran out of memory on a " + inputBytes + "-byte input", e);
        } catch (Exception e) {
            if (!documented.isInstance(e))
                throw new AssertionError("undocumented exception " + e.getClass().getName() + " (expected "
                        + documented.getSimpleName() + "): " + e.getMessage(), e);
            if (e.getMessage() == null || e.getMessage().isBlank())
                throw new AssertionError(documented.getSimpleName() + " without a message", e);
            result = null;
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        // Loading (and, when fuzzing, instrumenting) a class allocates on the loading thread; such a
        // run says nothing about the reader. The next input down the same path is measured cleanly.
        if (CLASSES.getTotalLoadedClassCount() != classesBefore) return result;
        long budget = BASE_ALLOCATION + ALLOCATION_PER_BYTE * inputBytes;
        if (allocated > budget)
            throw new AssertionError("reader allocated " + allocated + " bytes for a " + inputBytes
                    + "-byte input (budget " + budget + "): a header was believed");
        return result;
    }

    /** A temp file, reused across inputs of one target so that fuzzing is not bound by file creation. */
    public static Path scratch(String suffix) {
        try {
            Path dir = Files.createTempDirectory("jgrad-fuzz");
            dir.toFile().deleteOnExit();
            Path f = dir.resolve("input" + suffix);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} to {@code file}, replacing it. */
    public static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A check on a returned result that failed. */
    public static void require(boolean ok, String what) {
        if (!ok) throw new AssertionError("malformed result: " + what);
    }

    /**
     * How many bytes the entries of a zip archive inflate to (at most {@code cap}), counting what came out
     * before any error: a reader may hold that much of a valid archive.
     */
    public static long unzippedSize(byte[] data, long cap) {
        long n = 0;
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(data))) {
            byte[] buf = new byte[1 << 16];
            while (n < cap && in.getNextEntry() != null)
                for (int r; n < cap && (r = in.read(buf)) > 0; ) n += r;
        } catch (IOException | RuntimeException e) {
            // n is what came out before the error
        }
        return n;
    }
}
