package org.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.jgrad.data.Sample;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.EpochLog;
import org.junit.jupiter.api.Test;

/** The byte forms in which samples, settings and epoch logs travel between the driver and the tasks. */
class CodecTest {

    @Test
    void sampleRoundTripKeepsShapesDtypesAndBits() {
        Sample s = new Sample(Tensor.fromArray(new float[] {1.5f, Float.MIN_VALUE, -0f, 3, 4, 5}, 2, 3),
                TensorData.wrapLongs(new long[] {7}));
        Sample back = SampleCodec.decode(SampleCodec.encode(s), "sample 0");
        assertArrayEquals(new int[] {2, 3}, back.input().shape());
        assertArrayEquals(s.input().toFloatArray(), back.input().toFloatArray());
        assertEquals(DType.INT64, back.target().dtype());
        assertEquals(0, back.target().dim());
        assertEquals(7, back.target().toLongArray()[0]);
    }

    @Test
    void aTruncatedOrPaddedSampleIsRefusedNamingIt() {
        byte[] b = SampleCodec.encode(new Sample(Tensor.zeros(4), Tensor.scalar(1f)));
        var e = assertThrows(IllegalArgumentException.class, () -> SampleCodec.decode(Arrays.copyOf(b, b.length - 1), "sample 12"));
        assertTrue(e.getMessage().contains("sample 12"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> SampleCodec.decode(Arrays.copyOf(b, b.length + 3), "sample 5"));
        assertTrue(e2.getMessage().contains("3 bytes after"), e2.getMessage());
        byte[] huge = b.clone();
        huge[2] = 0x7f; // the input's first dim becomes ~2 billion
        var e3 = assertThrows(IllegalArgumentException.class, () -> SampleCodec.decode(huge, "sample 1"));
        assertTrue(e3.getMessage().contains("bytes are left"), e3.getMessage());
    }

    @Test
    void envelopeRoundTripAndBadLength() {
        Properties p = new Properties();
        p.setProperty("a", "x=y\nz");
        Envelope e = Envelope.decode(new Envelope(p, new byte[] {1, 2, 3}).encode());
        assertEquals("x=y\nz", e.get("a"));
        assertArrayEquals(new byte[] {1, 2, 3}, e.weights());
        assertThrows(IllegalArgumentException.class, () -> Envelope.decode(new byte[] {0, 0, 1, 0, 65}));
        assertThrows(IllegalArgumentException.class, () -> e.get("missing"));
    }

    @Test
    void epochLogsRoundTripExactly() {
        List<EpochLog> logs = List.of(new EpochLog(1, 50, 0.1 + 0.2, Double.NaN, 1e-300, 0.5, 0.01, 3.25),
                new EpochLog(2, 100, 0.05, 0.9, Double.NaN, Double.NaN, 0.001, 1));
        assertEquals(logs, EpochLogs.parse(EpochLogs.format(logs)));
        assertThrows(IllegalArgumentException.class, () -> EpochLogs.parse("1,2,3"));
    }

    @Test
    void specsRoundTripThroughText() {
        Properties p = new Properties();
        ModelSpec.of(TinyMlp.class, 4, 8, 3).write(p);
        OptimizerSpec.adam(0.003).betas(0.8, 0.95).weightDecay(0.1).write(p);
        var m = ModelSpec.read(p).create();
        assertEquals(4 * 8 + 8 + 8 * 3 + 3, m.parameters().stream().mapToInt(Tensor::numel).sum());
        var opt = OptimizerSpec.read(p).create(m.parameters());
        assertEquals(0.003, opt.paramGroups().get(0).lr());
        var bad = assertThrows(IllegalArgumentException.class, () -> ModelSpec.of(TinyMlp.class, 4, 8));
        assertTrue(bad.getMessage().contains("no public constructor"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LossSpec.of("cross-entropy"));
    }
}
