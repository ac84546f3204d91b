package org.jgrad.tensor;

import static org.jgrad.tensor.TensorAsserts.assertTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Factory functions and the seeded generator. */
class TensorCreationTest {

    @Test
    void constantFactories() {
        assertTensor(Tensor.zeros(2, 2), new int[] {2, 2}, 0, 0, 0, 0);
        assertTensor(Tensor.ones(3), new int[] {3}, 1, 1, 1);
        assertTensor(Tensor.full(2.5f, 1, 2), new int[] {1, 2}, 2.5f, 2.5f);
        assertTensor(Tensor.full(7f), new int[0], 7f);
        assertTensor(Tensor.zerosLike(Tensor.ones(2, 1)), new int[] {2, 1}, 0, 0);
        assertTensor(Tensor.onesLike(Tensor.zeros(0, 3)), new int[] {0, 3});
        assertArrayEquals(new long[] {0, 0}, Tensor.zerosLong(2).toLongArray());
    }

    @Test
    void arangeLikeTorch() {
        assertTensor(Tensor.arange(5), new int[] {5}, 0, 1, 2, 3, 4);
        assertTensor(Tensor.arange(1, 2, 0.25f), new int[] {4}, 1, 1.25f, 1.5f, 1.75f);
        assertTensor(Tensor.arange(5, 0, -2), new int[] {3}, 5, 3, 1);
        assertEquals(10, Tensor.arange(0, 1, 0.1f).numel()); // torch.arange(0, 1, 0.1) has 10 elements
        assertEquals(0, Tensor.arange(0).numel());
        assertEquals(0, Tensor.arange(3, 3, 1).numel());
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(5, 0, 1));
    }

    @Test
    void linspaceEndpointsExact() {
        assertTensor(Tensor.linspace(0, 1, 5), new int[] {5}, 0, 0.25f, 0.5f, 0.75f, 1);
        assertTensor(Tensor.linspace(-1, 1, 1), new int[] {1}, -1);
        assertEquals(0, Tensor.linspace(0, 1, 0).numel());
        Tensor l = Tensor.linspace(0.1f, 0.7f, 7);
        assertEquals(0.7f, l.get(6));
        assertEquals(0.1f, l.get(0));
        assertTensor(l, new int[] {7}, new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f}, 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> Tensor.linspace(0, 1, -1));
    }

    @Test
    void eyeAndFromArray() {
        assertTensor(Tensor.eye(3), new int[] {3, 3}, 1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertTensor(Tensor.eye(2, 3), new int[] {2, 3}, 1, 0, 0, 0, 1, 0);
        assertTensor(Tensor.eye(3, 1), new int[] {3, 1}, 1, 0, 0);
        float[] src = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.fromArray(src, 3, 2);
        src[0] = 99; // fromArray copies
        assertTensor(t, new int[] {3, 2}, 1, 2, 3, 4, 5, 6);
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.fromArray(src, 4, 2));
        assertTrue(e.getMessage().contains("[4, 2]"), e.getMessage());
        assertTensor(Tensor.of(new float[][] {{1, 2}, {3, 4}}), new int[] {2, 2}, 1, 2, 3, 4);
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[][] {{1, 2}, {3}}));
    }

    @Test
    void sameSeedSameValuesDifferentSeedsDiffer() {
        for (int kind = 0; kind < 6; kind++) {
            float[] a = sample(kind, 7), b = sample(kind, 7), c = sample(kind, 8);
            assertArrayEquals(a, b, "kind " + kind);
            assertFalse(Arrays.equals(a, c), "kind " + kind + " seeds 7 and 8 gave the same values");
        }
    }

    private static float[] sample(int kind, long seed) {
        Generator g = new Generator(seed);
        return switch (kind) {
            case 0 -> Tensor.rand(g, 4, 5).toFloatArray();
            case 1 -> Tensor.randn(g, 20).toFloatArray();
            case 2 -> Tensor.uniform(g, -3, 2, 20).toFloatArray();
            case 3 -> Tensor.normal(g, 5, 0.5f, 20).toFloatArray();
            case 4 -> Tensor.randint(g, -4, 100, 20).toFloatArray();
            default -> Tensor.randperm(g, 50).toFloatArray();
        };
    }

    @Test
    void normalHasTheRequestedMeanAndStd() {
        Tensor x = Tensor.normal(new Generator(42), 2f, 3f, 100_000);
        // standard error of the mean is 3/sqrt(1e5) ~ 0.0095 and of the std ~ 0.0067; allow ~5 sigma
        assertEquals(2.0, x.mean().item(), 0.05);
        assertEquals(3.0, x.std().item(), 0.035);
        Tensor z = Tensor.randn(new Generator(3), 100_000);
        assertEquals(0.0, z.mean().item(), 0.016);
        assertEquals(1.0, z.std().item(), 0.012);
        // about 68.3% within one sigma
        assertEquals(0.6827, z.abs().le(1f).mean().item(), 0.01);
    }

    @Test
    void uniformAndRandStayInRange() {
        Tensor u = Tensor.uniform(new Generator(5), -2f, 6f, 100_000);
        assertTrue(u.min().item() >= -2f && u.max().item() < 6f);
        assertEquals(2.0, u.mean().item(), 0.05);
        assertEquals(8 / Math.sqrt(12), u.std().item(), 0.03);
        Tensor r = Tensor.rand(new Generator(6), 10_000);
        assertTrue(r.min().item() >= 0f && r.max().item() < 1f);
        assertThrows(IllegalArgumentException.class, () -> Tensor.uniform(new Generator(1), 2, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.normal(new Generator(1), 0, -1, 3));
    }

    @Property(tries = 50)
    void uniformNeverReturnsTheUpperBound(@ForAll @IntRange(min = -1000, max = 1000) int lo, @ForAll @IntRange(min = 1, max = 3) int width) {
        // with float rounding, low + (high-low)*u can round up to high unless guarded
        float low = lo, high = lo + width;
        Tensor u = Tensor.uniform(new Generator(lo * 31L + width), low, high, 2000);
        for (float v : u.toFloatArray()) assertTrue(v >= low && v < high, v + " not in [" + low + ", " + high + ")");
    }

    @Test
    void randintAndRandperm() {
        Tensor r = Tensor.randint(new Generator(9), -3, 4, 10_000);
        long[] v = r.toLongArray();
        int[] counts = new int[7];
        for (long x : v) {
            assertTrue(x >= -3 && x < 4);
            counts[(int) (x + 3)]++;
        }
        for (int c : counts) assertEquals(10_000 / 7.0, c, 200); // every value appears about equally often
        long[] p = Tensor.randperm(new Generator(2), 100).toLongArray();
        long[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) assertEquals(i, sorted[i]);
        assertFalse(Arrays.equals(p, sorted));
        assertEquals(0, Tensor.randperm(new Generator(2), 0).numel());
        assertThrows(IllegalArgumentException.class, () -> Tensor.randint(new Generator(1), 3, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.randperm(new Generator(1), -1));
    }

    @Test
    void generatorStateRoundTrip() {
        Generator g = new Generator(123);
        Tensor.randn(g, 3); // odd count: leaves a cached Gaussian in the state
        long[] state = g.getState();
        float[] a = Tensor.randn(g, 11).toFloatArray();
        float[] b = Tensor.rand(g, 5).toFloatArray();
        Generator h = new Generator(999);
        h.setState(state);
        assertArrayEquals(a, Tensor.randn(h, 11).toFloatArray());
        assertArrayEquals(b, Tensor.rand(h, 5).toFloatArray());
        g.setState(state);
        assertArrayEquals(a, Tensor.randn(g, 11).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> g.setState(new long[3]));
        assertThrows(IllegalArgumentException.class, () -> g.setState(new long[6]));
        assertArrayEquals(new Generator(5).manualSeed(77).getState(), new Generator(77).getState());
    }

    @Test
    void splitGivesIndependentReproducibleStreams() {
        Generator a = new Generator(1), b = new Generator(1);
        Generator sa = a.split(), sb = b.split();
        assertEquals(sa.nextLong(), sb.nextLong());
        assertTrue(a.nextLong() != sa.nextLong());
    }

    @Property(tries = 30)
    void nextIntIsInRange(@ForAll long seed, @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int bound) {
        Generator g = new Generator(seed);
        for (int i = 0; i < 20; i++) {
            int v = g.nextInt(bound);
            assertTrue(v >= 0 && v < bound);
        }
    }
}
