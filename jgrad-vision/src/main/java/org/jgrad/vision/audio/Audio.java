package org.jgrad.vision.audio;

import java.util.Arrays;

/**
 * A sampled sound: one float array per channel, samples scaled to [-1, 1] (integer PCM divided by
 * 2^(bits-1), as {@code torchaudio.load} and {@code soundfile} do), and the sample rate in Hz.
 *
 * @param channels {@code channels[c][i]} is sample i of channel c; every channel has the same length
 * @param sampleRate samples per second
 */
public record Audio(float[][] channels, int sampleRate) {

    /** Checks that there is at least one channel, that all have one length, and that the rate is positive. */
    public Audio {
        if (channels.length == 0) throw new IllegalArgumentException("Audio: no channels");
        for (float[] c : channels)
            if (c.length != channels[0].length)
                throw new IllegalArgumentException("Audio: channels differ in length: " + c.length + " and " + channels[0].length);
        if (sampleRate <= 0) throw new IllegalArgumentException("Audio: sample rate must be positive, got " + sampleRate);
    }

    /** One channel of {@code samples} at {@code sampleRate}. */
    public static Audio mono(float[] samples, int sampleRate) {
        return new Audio(new float[][] {samples}, sampleRate);
    }

    /** Number of channels. */
    public int numChannels() {
        return channels.length;
    }

    /** Samples per channel. */
    public int length() {
        return channels[0].length;
    }

    /** Duration in seconds. */
    public double seconds() {
        return (double) length() / sampleRate;
    }

    /** The channels averaged into one (the usual down-mix; a mono sound is returned as its own array copy). */
    public float[] mixDown() {
        if (channels.length == 1) return channels[0].clone();
        float[] out = new float[length()];
        for (float[] c : channels) for (int i = 0; i < out.length; i++) out[i] += c[i];
        float s = 1f / channels.length;
        for (int i = 0; i < out.length; i++) out[i] *= s;
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Audio a && a.sampleRate == sampleRate && Arrays.deepEquals(a.channels, channels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(channels) + sampleRate;
    }

    @Override
    public String toString() {
        return "Audio[" + channels.length + " channel(s), " + length() + " samples at " + sampleRate + " Hz]";
    }
}
