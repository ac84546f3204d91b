package org.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link UnreadOutputs}: arrays of exactly the length asked, kept per thread and per length, a few at a time. */
class UnreadOutputsTest {

    @Test
    void keepsAFewLengthsPerThread() throws InterruptedException {
        float[] a = UnreadOutputs.get(1001), b = UnreadOutputs.get(77);
        assertEquals(1001, a.length);
        assertEquals(77, b.length);
        assertSame(a, UnreadOutputs.get(1001));
        assertSame(b, UnreadOutputs.get(77));
        // Five more lengths: a (used last) and b stay among the six kept only while they are used.
        for (int len = 1; len <= 4; len++) UnreadOutputs.get(len);
        assertSame(a, UnreadOutputs.get(1001));
        for (int len = 1; len <= 5; len++) UnreadOutputs.get(len);
        assertNotSame(b, UnreadOutputs.get(77), "the least recently used length is dropped");
        // Another thread has arrays of its own.
        AtomicReference<float[]> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(UnreadOutputs.get(1001)));
        t.start();
        t.join();
        assertNotSame(UnreadOutputs.get(1001), other.get());
        assertEquals(1001, other.get().length);
    }

    @Test
    void largeArraysAreNotKept() {
        int len = UnreadOutputs.MAX_KEPT + 1;
        assertNotSame(UnreadOutputs.get(len), UnreadOutputs.get(len));
    }
}
