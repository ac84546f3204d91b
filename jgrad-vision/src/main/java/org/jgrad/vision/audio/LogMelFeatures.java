package org.jgrad.vision.audio;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * Turns a short recording (one spoken word) into the image a spectrogram CNN reads: the sound is mixed
 * down to one channel, resampled to {@code sampleRate}, its loud part (from the first to the last sample
 * above 1% of the peak) is centred in a window of {@code seconds} (cut or zero-padded), and its log-mel
 * spectrogram ({@link MelSpectrogram}, decibels with an 80 dB floor below the peak) is scaled to about
 * [-1, 1] by {@code (dB − peak)/40 + 1}. The result is {@code [1, nMels, frames]}.
 *
 * @param sampleRate rate the sound is brought to, Hz
 * @param seconds window length
 * @param nFft STFT frame (and window) length in samples
 * @param hopLength samples between frames
 * @param nMels mel bands
 */
public record LogMelFeatures(int sampleRate, double seconds, int nFft, int hopLength, int nMels) {

    /** 16 kHz, 1 s, 25 ms windows every 10 ms, 40 mel bands: {@code [1, 40, 101]}. */
    public static LogMelFeatures speech() {
        return new LogMelFeatures(16000, 1.0, 400, 160, 40);
    }

    /** Checks the sizes. */
    public LogMelFeatures {
        if (sampleRate < 1 || !(seconds > 0) || nFft < 2 || hopLength < 1 || nMels < 1)
            throw new IllegalArgumentException("LogMelFeatures: sizes must be positive");
        if (seconds * sampleRate <= nFft / 2)
            throw new IllegalArgumentException("LogMelFeatures: a " + seconds + " s window is shorter than half a frame");
    }

    /** Samples in the window. */
    public int windowSamples() {
        return (int) Math.round(seconds * sampleRate);
    }

    /** One feature map's shape: {@code [1, nMels, frames]}. */
    public int[] shape() {
        return new int[] {1, nMels, 1 + windowSamples() / hopLength};
    }

    /** The features of {@code audio}. */
    public Tensor apply(Audio audio) {
        float[] x = Resample.to(Audio.mono(audio.mixDown(), audio.sampleRate()), sampleRate).channel(0);
        float[] window = centred(x, windowSamples());
        MelSpectrogram mel = MelSpectrogram.of(sampleRate, nFft, hopLength, nMels);
        Tensor db = MelSpectrogram.toDecibels(mel.apply(window), 80);
        float[] v = TensorData.floats(db);
        float max = Float.NEGATIVE_INFINITY;
        for (float f : v) max = Math.max(max, f);
        for (int i = 0; i < v.length; i++) v[i] = (v[i] - max) / 40f + 1f;
        return db.reshape(shape());
    }

    /** The loud part of {@code x} centred in {@code n} samples. */
    static float[] centred(float[] x, int n) {
        float peak = 0;
        for (float v : x) peak = Math.max(peak, Math.abs(v));
        int first = 0, last = x.length - 1;
        if (peak > 0) {
            while (Math.abs(x[first]) < 0.01f * peak) first++;
            while (Math.abs(x[last]) < 0.01f * peak) last--;
        }
        int len = last - first + 1;
        float[] out = new float[n];
        if (len >= n) System.arraycopy(x, first + (len - n) / 2, out, 0, n);
        else System.arraycopy(x, first, out, (n - len) / 2, len);
        return out;
    }
}
