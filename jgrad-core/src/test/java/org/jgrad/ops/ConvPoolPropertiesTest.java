package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/** Random geometries (odd sizes, 1, primes come up naturally) against the direct-loop references. */
class ConvPoolPropertiesTest {

    @Property(tries = 60)
    void conv2dEqualsDirectLoops(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int cg,
            @ForAll @IntRange(min = 1, max = 3) int og, @ForAll @IntRange(min = 1, max = 3) int groups,
            @ForAll @IntRange(min = 1, max = 11) int h, @ForAll @IntRange(min = 1, max = 11) int w,
            @ForAll @IntRange(min = 1, max = 4) int kH, @ForAll @IntRange(min = 1, max = 4) int kW,
            @ForAll @IntRange(min = 1, max = 3) int s, @ForAll @IntRange(min = 0, max = 2) int pT,
            @ForAll @IntRange(min = 0, max = 2) int pR, @ForAll @IntRange(min = 1, max = 2) int d,
            @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Assume.that(d * (kH - 1) + 1 <= h + pT + 1 && d * (kW - 1) + 1 <= w + 1 + pR);
        Generator gen = new Generator(seed);
        int c = cg * groups, o = og * groups;
        Tensor x = Tensor.randn(gen, n, c, h, w), wt = Tensor.randn(gen, o, cg, kH, kW), b = Tensor.randn(gen, o);
        Conv2dOptions opt = Conv2dOptions.defaults().stride(s, 1 + (s % 2)).padding(pT, 1, 1, pR).dilation(d, 1)
                .groups(groups);
        float[] ref = ConvOpsTest.naiveConv2d(x, wt, b, s, 1 + (s % 2), pT, 1, 1, pR, d, 1, groups);
        float[] got = ConvOps.conv2d(x, wt, b, opt).toFloatArray();
        assertEquals(ref.length, got.length);
        for (int i = 0; i < ref.length; i++) assertEquals(ref[i], got[i], 1e-4f * Math.max(1, Math.abs(ref[i])));
    }

    @Property(tries = 60)
    void maxPoolEqualsDirectLoops(@ForAll @IntRange(min = 1, max = 13) int h, @ForAll @IntRange(min = 1, max = 13) int w,
            @ForAll @IntRange(min = 1, max = 4) int k, @ForAll @IntRange(min = 1, max = 3) int s,
            @ForAll @IntRange(min = 0, max = 2) int p, @ForAll @IntRange(min = 1, max = 2) int d,
            @ForAll boolean ceil, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        int ext = d * (k - 1) + 1;
        Assume.that(p <= ext / 2 && ext <= h + 2 * p && ext <= w + 2 * p);
        Tensor x = Tensor.randn(new Generator(seed), 2, 2, h, w);
        PoolOpsTest.Ref r = PoolOpsTest.naiveMax(x, k, k, s, s, p, p, d, d, ceil);
        Tensor.ValuesIndices vi = PoolOps.maxPool2dWithIndices(x, Pool2dOptions.of(k).stride(s).padding(p).dilation(d)
                .ceilMode(ceil));
        assertArrayEquals(new int[] {2, 2, r.oh(), r.ow()}, vi.values().shape());
        assertArrayEquals(r.values(), vi.values().toFloatArray());
        assertArrayEquals(r.indices(), vi.indices().toLongArray());
    }

    @Property(tries = 60)
    void avgPoolEqualsDirectLoops(@ForAll @IntRange(min = 1, max = 13) int h, @ForAll @IntRange(min = 1, max = 13) int w,
            @ForAll @IntRange(min = 1, max = 4) int k, @ForAll @IntRange(min = 1, max = 3) int s,
            @ForAll @IntRange(min = 0, max = 2) int p, @ForAll boolean ceil, @ForAll boolean includePad,
            @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Assume.that(p <= k / 2 && k <= h + 2 * p && k <= w + 2 * p);
        Tensor x = Tensor.randn(new Generator(seed), 2, 2, h, w);
        float[] ref = PoolOpsTest.naiveAvg(x, k, k, s, s, p, p, ceil, includePad, 0);
        float[] got = PoolOps.avgPool2d(x, Pool2dOptions.of(k).stride(s).padding(p).ceilMode(ceil)
                .countIncludePad(includePad)).toFloatArray();
        assertEquals(ref.length, got.length);
        for (int i = 0; i < ref.length; i++) assertEquals(ref[i], got[i], 1e-5f * Math.max(1, Math.abs(ref[i])));
    }
}
