package org.jgrad.vision.audio;

/**
 * Triangular mel filters over the bins of a one-sided spectrum, exactly as
 * {@code torchaudio.functional.melscale_fbanks(n_freqs, f_min, f_max, n_mels, sample_rate, norm, mel_scale)}
 * builds them: bin k is at {@code k·(sampleRate/2)/(nFreqs−1)} Hz (torchaudio takes
 * {@code sample_rate // 2}, an integer, as the top bin), the {@code nMels + 2} edges are equally spaced
 * in mels between {@code fMin} and {@code fMax}, and filter m rises linearly from edge m to edge m+1 and
 * falls to edge m+2. Without normalisation ({@code norm=None}, torchaudio's default) each filter peaks
 * at 1; with {@code slaneyNorm} each is divided by its width in Hz over 2, so all have the same area.
 *
 * @param weights {@code weights[k][m]}: how much bin k counts in mel band m ({@code [n_freqs, n_mels]}, torchaudio's layout)
 */
public record MelFilterbank(double[][] weights) {

    /**
     * The filterbank.
     *
     * @throws IllegalArgumentException for sizes below 1 (2 frequencies) or {@code fMin} not below {@code fMax}
     */
    public static MelFilterbank of(int nFreqs, double fMin, double fMax, int nMels, int sampleRate, MelScale scale,
            boolean slaneyNorm) {
        if (nFreqs < 2 || nMels < 1 || sampleRate < 1)
            throw new IllegalArgumentException("MelFilterbank: need nFreqs >= 2, nMels >= 1 and a positive sample rate, got "
                    + nFreqs + ", " + nMels + ", " + sampleRate);
        if (!(fMin >= 0 && fMin < fMax))
            throw new IllegalArgumentException("MelFilterbank: need 0 <= f_min < f_max, got " + fMin + " and " + fMax);
        double[] freqs = new double[nFreqs];
        double top = sampleRate / 2; // integer division, as torchaudio's sample_rate // 2
        for (int k = 0; k < nFreqs; k++) freqs[k] = top * k / (nFreqs - 1);
        double mMin = scale.toMel(fMin), mMax = scale.toMel(fMax);
        double[] edges = new double[nMels + 2];
        for (int i = 0; i < edges.length; i++) edges[i] = scale.toHz(mMin + (mMax - mMin) * i / (nMels + 1));
        double[][] w = new double[nFreqs][nMels];
        for (int k = 0; k < nFreqs; k++)
            for (int m = 0; m < nMels; m++) {
                double down = (freqs[k] - edges[m]) / (edges[m + 1] - edges[m]);
                double up = (edges[m + 2] - freqs[k]) / (edges[m + 2] - edges[m + 1]);
                double v = Math.max(0, Math.min(down, up));
                if (slaneyNorm) v *= 2.0 / (edges[m + 2] - edges[m]);
                w[k][m] = v;
            }
        return new MelFilterbank(w);
    }

    /** Frequencies (rows). */
    public int numFrequencies() {
        return weights.length;
    }

    /** Mel bands (columns). */
    public int numMels() {
        return weights[0].length;
    }
}
