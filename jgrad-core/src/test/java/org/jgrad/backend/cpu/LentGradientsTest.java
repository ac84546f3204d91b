package org.jgrad.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link LentGradients}: zero-filled arrays, reused only after they are given back on the thread that lent them. */
class LentGradientsTest {

    private static void assertZeros(float[] a) {
        for (float v : a) assertEquals(0f, v);
    }

    @Test
    void reusesOnlyWhatWasGivenBack() throws InterruptedException {
        float[] a = LentGradients.lend(333);
        assertEquals(333, a.length);
        assertZeros(a);
        a[5] = 7f;
        float[] b = LentGradients.lend(333);
        assertNotSame(a, b, "a lent array is not lent again");
        LentGradients.giveBack(a);
        float[] c = LentGradients.lend(333);
        assertSame(a, c);
        assertZeros(c);
        // Given back twice, or never lent: lent once only.
        LentGradients.giveBack(c);
        LentGradients.giveBack(c);
        LentGradients.giveBack(new float[333]);
        float[] d = LentGradients.lend(333), e = LentGradients.lend(333);
        assertSame(c, d);
        assertNotSame(d, e);
        // Another thread neither takes this thread's free arrays nor frees them.
        LentGradients.giveBack(d);
        AtomicReference<float[]> other = new AtomicReference<>();
        Thread t = new Thread(() -> {
            other.set(LentGradients.lend(333));
            LentGradients.giveBack(e);
        });
        t.start();
        t.join();
        assertNotSame(d, other.get());
        assertSame(d, LentGradients.lend(333));
        assertNotSame(e, LentGradients.lend(333), "given back on another thread: ignored");
    }

    @Test
    void largeArraysAreNotReused() {
        float[] a = LentGradients.lend(LentGradients.MAX_REUSED + 1);
        LentGradients.giveBack(a);
        assertNotSame(a, LentGradients.lend(LentGradients.MAX_REUSED + 1));
    }
}
