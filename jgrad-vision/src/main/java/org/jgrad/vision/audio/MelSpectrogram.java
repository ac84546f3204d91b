package org.jgrad.vision.audio;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * A mel spectrogram as {@code torchaudio.transforms.MelSpectrogram} computes it: the power
 * spectrogram of an {@link Stft} (periodic Hann window, centred with reflect padding, one-sided)
 * multiplied by a {@link MelFilterbank}, giving {@code [nMels, frames]}. The defaults of
 * {@link #of(int, int, int, int)} are torchaudio's: power 2, {@code f_min} 0, {@code f_max} half the sample
 * rate, the HTK mel scale and no filter normalisation ({@code norm=None}). {@link #toDecibels} is
 * {@code torchaudio.transforms.AmplitudeToDB(stype="power")}, the "log-mel" spectrogram.
 *
 * <pre>{@code
 * Audio a = WavFile.read(Path.of("zero.wav"));
 * var mel = MelSpectrogram.of(a.sampleRate(), 400, 160, 40);   // 25 ms windows, 10 ms hop, 40 bands
 * Tensor logMel = MelSpectrogram.toDecibels(mel.apply(a.mixDown()), 80);  // [40, frames]
 * }</pre>
 *
 * @param stft the transform (its hop and window decide the frames)
 * @param filterbank mel filters over the STFT's frequencies
 * @param power exponent of the magnitude: 2 for power, 1 for magnitude
 */
public record MelSpectrogram(Stft stft, MelFilterbank filterbank, double power) {

    /** Checks that the filterbank fits the STFT's frequencies. */
    public MelSpectrogram {
        if (filterbank.numFrequencies() != stft.numFrequencies())
            throw new IllegalArgumentException("MelSpectrogram: the filterbank has " + filterbank.numFrequencies()
                    + " frequencies but the STFT gives " + stft.numFrequencies());
    }

    /**
     * torchaudio's {@code MelSpectrogram(sample_rate, n_fft, hop_length=hop, n_mels=nMels)}: window as long as
     * {@code nFft}, power 2, 0 Hz to half the sample rate, HTK scale, no normalisation.
     */
    public static MelSpectrogram of(int sampleRate, int nFft, int hopLength, int nMels) {
        Stft s = new Stft(nFft, hopLength, nFft, true);
        return new MelSpectrogram(s, MelFilterbank.of(s.numFrequencies(), 0, sampleRate / 2.0, nMels, sampleRate,
                MelScale.HTK, false), 2.0);
    }

    /** Mel bands. */
    public int numMels() {
        return filterbank.numMels();
    }

    /** The mel spectrogram of {@code signal} [L]: {@code [nMels, frames]}. */
    public Tensor apply(Tensor signal) {
        return apply(Stft.samples("MelSpectrogram", signal));
    }

    /** {@link #apply(Tensor)} of a signal's samples. */
    Tensor apply(float[] signal) {
        float[] spec = TensorData.floats(stft.spectrogram(signal, power));
        int f = stft.numFrequencies(), t = spec.length / f, m = numMels();
        double[][] w = filterbank.weights();
        float[] out = new float[m * t];
        double[] acc = new double[t];
        for (int b = 0; b < m; b++) {
            java.util.Arrays.fill(acc, 0);
            for (int k = 0; k < f; k++) {
                double wk = w[k][b];
                if (wk == 0) continue;
                int row = k * t;
                for (int j = 0; j < t; j++) acc[j] += wk * spec[row + j];
            }
            for (int j = 0; j < t; j++) out[b * t + j] = (float) acc[j];
        }
        return TensorData.wrap(out, m, t);
    }

    /**
     * {@code 10·log10(max(x, 1e-10))} (reference 1), then, with {@code topDb > 0}, everything below the
     * maximum minus {@code topDb} raised to it: {@code torchaudio.transforms.AmplitudeToDB("power", top_db)}
     * for one spectrogram. {@code topDb} 0 or less: no floor. Returns a new tensor.
     */
    public static Tensor toDecibels(Tensor power, double topDb) {
        float[] x = power.contiguous().toFloatArray();
        float[] out = new float[x.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (10 * Math.log10(Math.max(x[i], 1e-10)));
            max = Math.max(max, out[i]);
        }
        if (topDb > 0) {
            float floor = (float) (max - topDb);
            for (int i = 0; i < out.length; i++) out[i] = Math.max(out[i], floor);
        }
        return TensorData.wrap(out, power.shape());
    }
}
