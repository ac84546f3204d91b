package org.jgrad.vision.audio;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.fft.ComplexArray;
import org.jgrad.vision.fft.Fft;

/**
 * The short-time Fourier transform of a real signal with {@code torch.stft}'s conventions, as
 * {@code torchaudio.transforms.Spectrogram} calls it:
 * <ul>
 *   <li>frames of {@code nFft} samples, {@code hopLength} apart;
 *   <li>a periodic Hann window of {@code winLength ≤ nFft} samples ({@code torch.hann_window(win_length)},
 *       i.e. {@code periodic=True}), zero-padded on both sides to {@code nFft} and centred;
 *   <li>{@code center=true}: the signal is padded by {@code nFft/2} on both sides by reflection
 *       ({@code pad_mode="reflect"}, the edge sample not repeated), so frame t is centred on sample
 *       {@code t·hopLength}; the number of frames is {@code 1 + len/hopLength} (integer division);
 *       without centring it is {@code 1 + (len − nFft)/hopLength};
 *   <li>one-sided: the {@code nFft/2 + 1} non-negative frequencies; unnormalised (no 1/√nFft).
 * </ul>
 * Arithmetic is in double precision (torch computes float32 input in float32; the two agree to about
 * 1e-6 relative). Unlike {@code torch.stft}, whose default is no window at all, the window here is
 * always Hann: the spectrograms of speech recognisers use it.
 */
public final class Stft {
    private final int nFft, hopLength, winLength;
    private final boolean center;
    private final double[] window;

    /**
     * An STFT with the given sizes.
     *
     * @throws IllegalArgumentException when a size is not positive or {@code winLength > nFft}
     */
    public Stft(int nFft, int hopLength, int winLength, boolean center) {
        if (nFft < 1 || hopLength < 1 || winLength < 1)
            throw new IllegalArgumentException("Stft: n_fft, hop_length and win_length must be positive, got " + nFft + ", "
                    + hopLength + ", " + winLength);
        if (winLength > nFft)
            throw new IllegalArgumentException("Stft: win_length " + winLength + " is longer than n_fft " + nFft);
        this.nFft = nFft;
        this.hopLength = hopLength;
        this.winLength = winLength;
        this.center = center;
        window = new double[nFft];
        int left = (nFft - winLength) / 2; // torch.stft pads a short window equally on both sides
        for (int i = 0; i < winLength; i++) window[left + i] = hann(i, winLength);
    }

    /** torchaudio's defaults for {@code n_fft}: a window as long as the frame, hop {@code nFft/2}, centred. */
    public static Stft of(int nFft) {
        return new Stft(nFft, Math.max(1, nFft / 2), nFft, true);
    }

    /** Sample i of {@code torch.hann_window(n, periodic=True)}: {@code 0.5 − 0.5·cos(2πi/n)}. */
    public static double hann(int i, int n) {
        return n == 1 ? 1 : 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
    }

    /** The frame length. */
    public int nFft() {
        return nFft;
    }

    /** Samples between frame starts. */
    public int hopLength() {
        return hopLength;
    }

    /** The window's length before padding to {@code nFft}. */
    public int winLength() {
        return winLength;
    }

    /** Frequencies per frame: {@code nFft/2 + 1}. */
    public int numFrequencies() {
        return nFft / 2 + 1;
    }

    /**
     * How many frames a signal of {@code length} samples gives.
     *
     * @throws IllegalArgumentException when the signal is too short (see {@link #transform})
     */
    public int numFrames(int length) {
        if (center) {
            if (length <= nFft / 2)
                throw new IllegalArgumentException("Stft: reflect padding of " + nFft / 2 + " samples needs a signal longer"
                        + " than that, got " + length + " samples");
            return 1 + length / hopLength;
        }
        if (length < nFft)
            throw new IllegalArgumentException("Stft: a signal of " + length + " samples is shorter than one frame of " + nFft);
        return 1 + (length - nFft) / hopLength;
    }

    /**
     * The complex spectrum of every frame of {@code signal} [L]: {@code result[t]} holds the
     * {@link #numFrequencies} bins of frame t.
     */
    public ComplexArray[] transform(Tensor signal) {
        return transform(samples("transform", signal));
    }

    /**
     * {@code |X|^power} of {@code signal} [L] as a float tensor {@code [numFrequencies, frames]}
     * (torchaudio's {@code Spectrogram(power=...)} layout): power 2 is the power spectrogram, 1 the
     * magnitude.
     */
    public Tensor spectrogram(Tensor signal, double power) {
        return spectrogram(samples("spectrogram", signal), power);
    }

    /** A copy of the samples of a signal [L]. */
    static float[] samples(String op, Tensor signal) {
        if (signal.dim() != 1)
            throw new IllegalArgumentException("Stft." + op + ": expected a signal [L], got " + Shape.str(signal.shape()));
        return signal.detach().contiguous().toFloatArray();
    }

    /** {@link #transform(Tensor)} of a signal's samples. */
    ComplexArray[] transform(float[] signal) {
        int frames = numFrames(signal.length);
        int pad = center ? nFft / 2 : 0;
        ComplexArray[] out = new ComplexArray[frames];
        double[] re = new double[nFft], im = new double[nFft];
        int m = numFrequencies();
        for (int t = 0; t < frames; t++) {
            int start = t * hopLength - pad;
            for (int i = 0; i < nFft; i++) {
                re[i] = window[i] == 0 ? 0 : window[i] * signal[reflect(start + i, signal.length)];
                im[i] = 0;
            }
            Fft.transformInPlace(re, im, false);
            out[t] = new ComplexArray(java.util.Arrays.copyOf(re, m), java.util.Arrays.copyOf(im, m));
        }
        return out;
    }

    /** {@link #spectrogram(Tensor, double)} of a signal's samples. */
    Tensor spectrogram(float[] signal, double power) {
        if (!(power > 0)) throw new IllegalArgumentException("Stft.spectrogram: power must be positive, got " + power);
        ComplexArray[] x = transform(signal);
        int f = numFrequencies(), t = x.length;
        float[] out = new float[f * t];
        for (int j = 0; j < t; j++) {
            double[] re = x[j].re(), im = x[j].im();
            for (int k = 0; k < f; k++) {
                double p = re[k] * re[k] + im[k] * im[k];
                out[k * t + j] = (float) (power == 2 ? p : Math.pow(p, power / 2));
            }
        }
        return TensorData.wrap(out, f, t);
    }

    /** Index i of the signal reflected at both ends without repeating the edge sample (numpy's "reflect"). */
    private static int reflect(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        int k = Math.floorMod(i, period);
        return k < n ? k : period - k;
    }
}
