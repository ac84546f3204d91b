package org.jgrad.vision.audio;

import java.util.Arrays;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * A sampled sound, as {@code torchaudio.load} returns it: a waveform tensor {@code [channels, samples]}
 * with samples scaled to [-1, 1] (integer PCM divided by 2^(bits-1), as {@code torchaudio.load} and
 * {@code soundfile} do), and the sample rate in Hz.
 *
 * @param waveform float32 {@code [channels, samples]}: element (c, i) is sample i of channel c
 * @param sampleRate samples per second
 */
public record Audio(Tensor waveform, int sampleRate) {

    /** Checks that the waveform is {@code [channels, samples]} with at least one channel, and that the rate is positive. */
    public Audio {
        if (waveform.dim() != 2 || waveform.size(0) == 0)
            throw new IllegalArgumentException("Audio: expected a waveform [channels, samples] with at least one channel, got "
                    + Shape.str(waveform.shape()));
        if (waveform.dtype() != DType.FLOAT32)
            throw new IllegalArgumentException("Audio: the waveform must be float32, got " + waveform.dtype().pyName());
        if (sampleRate <= 0) throw new IllegalArgumentException("Audio: sample rate must be positive, got " + sampleRate);
    }

    /** One channel of {@code samples} [L] at {@code sampleRate}. */
    public static Audio mono(Tensor samples, int sampleRate) {
        if (samples.dim() != 1)
            throw new IllegalArgumentException("Audio.mono: expected samples [L], got " + Shape.str(samples.shape()));
        return new Audio(samples.unsqueeze(0), sampleRate);
    }

    /** Number of channels. */
    public int numChannels() {
        return waveform.size(0);
    }

    /** Samples per channel. */
    public int length() {
        return waveform.size(1);
    }

    /** Duration in seconds. */
    public double seconds() {
        return (double) length() / sampleRate;
    }

    /** The channels averaged into one, {@code [samples]} (the usual down-mix; a new tensor). */
    public Tensor mixDown() {
        float[][] channels = channelArrays();
        float[] out;
        if (channels.length == 1) out = channels[0];
        else {
            out = new float[length()];
            for (float[] c : channels) for (int i = 0; i < out.length; i++) out[i] += c[i];
            float s = 1f / channels.length;
            for (int i = 0; i < out.length; i++) out[i] *= s;
        }
        return TensorData.wrap(out, out.length);
    }

    /** A copy of channel {@code c}'s samples. */
    float[] channel(int c) {
        return waveform.select(0, c).contiguous().toFloatArray();
    }

    /** Copies of every channel's samples. */
    float[][] channelArrays() {
        float[][] out = new float[numChannels()][];
        for (int c = 0; c < out.length; c++) out[c] = channel(c);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Audio a && a.sampleRate == sampleRate && Arrays.equals(a.waveform.shape(), waveform.shape())
                && Arrays.deepEquals(a.channelArrays(), channelArrays());
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(channelArrays()) + sampleRate;
    }

    @Override
    public String toString() {
        return "Audio[" + numChannels() + " channel(s), " + length() + " samples at " + sampleRate + " Hz]";
    }
}
