package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgrad.autograd.GradCheck;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.Module;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TwoStreamNetTest {

    @Test
    void shapesAndStreamsOfTheThreeZooEntries() {
        Tensor clips = Tensor.rand(new Generator(1), 3, 8, 32, 32);
        for (String name : List.of("two_stream", "frame_stream", "difference_stream")) {
            Module m = Models.create(name, 8, 8);
            m.eval();
            assertArrayEquals(new int[] {3, 8}, m.call(clips).shape(), name);
        }
        var both = (TwoStreamNet) Models.create("two_stream", 8, 8);
        List<String> keys = List.copyOf(both.stateDict().keySet());
        assertTrue(keys.contains("frames.0.weight") && keys.contains("differences.0.weight"), keys.toString());
        assertArrayEquals(new int[] {16, 1, 3, 3}, both.stateDict().get("frames.0.weight").shape());
        assertArrayEquals(new int[] {16, 7, 3, 3}, both.stateDict().get("differences.0.weight").shape());
        assertThrows(IllegalArgumentException.class, () -> new TwoStreamNet(8, 1, TwoStreamNet.Streams.BOTH, 0));
    }

    /** The fused output is log of the mean of the streams' softmax outputs, from the same weights. */
    @Test
    void lateFusionAveragesTheStreamsProbabilities() {
        var net = new TwoStreamNet(5, 4, TwoStreamNet.Streams.BOTH, 0);
        net.eval();
        Tensor clips = Tensor.rand(new Generator(2), 2, 4, 16, 16);
        try (var ng = NoGrad.enter()) {
            float[] a = F.softmax(net.frameScores(clips), 1).toFloatArray();
            float[] b = F.softmax(net.differenceScores(clips), 1).toFloatArray();
            float[] fused = net.call(clips).exp().toFloatArray();
            for (int i = 0; i < fused.length; i++) assertEquals((a[i] + b[i]) / 2, fused[i], 1e-6f, "element " + i);
        }
        // far-apart confident scores underflow softmax; the stable form stays finite
        Tensor far = TwoStreamNet.fuse(Tensor.of(new float[][] {{200f, -200f}}), Tensor.of(new float[][] {{-200f, 200f}}));
        assertArrayEquals(new float[] {(float) Math.log(0.5), (float) Math.log(0.5)}, far.toFloatArray(), 1e-5f);
    }

    @Test
    void fuseGradients() {
        Generator g = new Generator(3);
        GradCheck.assertGradients(in -> TwoStreamNet.fuse(in[0], in[1]), Tensor.randn(g, 3, 4), Tensor.randn(g, 3, 4));
    }

    /** Single-stream networks trained apart load into a two-stream one, which then fuses them (Simonyan's way). */
    @Test
    void separatelyTrainedStreamsLoadIntoTheTwoStreamNetwork() {
        Module frames = Models.create("frame_stream", 8, 6), diffs = Models.create("difference_stream", 8, 6);
        var both = (TwoStreamNet) Models.create("two_stream", 8, 6);
        var sd = new java.util.LinkedHashMap<String, Tensor>(frames.stateDict());
        sd.putAll(diffs.stateDict());
        both.loadStateDict(sd);
        both.eval();
        frames.eval();
        Tensor clips = Tensor.rand(new Generator(4), 2, 6, 32, 32);
        try (var ng = NoGrad.enter()) {
            assertArrayEquals(frames.call(clips).toFloatArray(), both.frameScores(clips).toFloatArray(), 0f);
        }
    }

    @Test
    void spectrogramCnnTakesAnySpectrogramOfAtLeast8x8() {
        Module m = Models.create("spectrogram_cnn", 10, 1);
        m.eval();
        for (int[] s : new int[][] {{40, 101}, {64, 32}, {8, 8}})
            assertArrayEquals(new int[] {2, 10}, m.call(Tensor.rand(new Generator(5), 2, 1, s[0], s[1])).shape());
        // conv 1-16, 16-32, 32-64 (3x3, bias), three batch norms, Linear(1024, 128), Linear(128, 10)
        long expected = (9 * 16 + 16) + (16 * 32 * 9 + 32) + (32 * 64 * 9 + 64) + 2 * (16 + 32 + 64) + (1024 * 128 + 128)
                + (128 * 10 + 10);
        long n = 0;
        for (Tensor p : m.parameters()) n += p.numel();
        assertEquals(expected, n);
    }

}
