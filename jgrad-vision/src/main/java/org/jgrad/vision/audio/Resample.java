package org.jgrad.vision.audio;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * Band-limited resampling by windowed-sinc interpolation, as
 * {@code torchaudio.functional.resample(x, orig_freq, new_freq)} does it with its defaults
 * ({@code lowpass_filter_width=6}, {@code rolloff=0.99}, {@code resampling_method="sinc_interp_hann"}):
 * both rates are divided by their greatest common divisor, a filter with cut-off at 0.99 of the lower
 * Nyquist frequency and a Hann-squared-cosine window six zero crossings wide is built for each of the
 * {@code new/gcd} output phases, the signal is zero-padded and filtered, and the result is cut to
 * {@code ceil(len·new/orig)} samples. Computed in double precision.
 */
public final class Resample {
    private Resample() {}

    private static final int LOWPASS_WIDTH = 6;
    private static final double ROLLOFF = 0.99;

    /** {@code audio} at {@code newRate} (every channel; the same object when the rate is already {@code newRate}). */
    public static Audio to(Audio audio, int newRate) {
        if (audio.sampleRate() == newRate) return audio;
        float[][] out = new float[audio.numChannels()][];
        for (int c = 0; c < out.length; c++) out[c] = resample(audio.channel(c), audio.sampleRate(), newRate);
        float[] flat = new float[out.length * out[0].length];
        for (int c = 0; c < out.length; c++) System.arraycopy(out[c], 0, flat, c * out[0].length, out[0].length);
        return new Audio(TensorData.wrap(flat, out.length, out[0].length), newRate);
    }

    /**
     * {@code waveform} {@code [..., L]}, sampled at {@code origRate}, resampled to {@code newRate} along
     * its last dimension, as {@code torchaudio.functional.resample(waveform, orig_freq, new_freq)}: a new
     * tensor {@code [..., L']}.
     *
     * @throws IllegalArgumentException for a rate that is not positive or a tensor without a dimension
     */
    public static Tensor resample(Tensor waveform, int origRate, int newRate) {
        if (waveform.dim() < 1)
            throw new IllegalArgumentException("resample: expected a waveform [..., L], got a scalar");
        int[] shape = waveform.shape().clone();
        int len = shape[shape.length - 1], rows = len == 0 ? 0 : waveform.numel() / len;
        float[] x = waveform.detach().contiguous().toFloatArray();
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++)
            out[r] = resample(java.util.Arrays.copyOfRange(x, r * len, r * len + len), origRate, newRate);
        if (rows == 0) out = new float[][] {resample(new float[len], origRate, newRate)}; // only for the new length
        shape[shape.length - 1] = out[0].length;
        float[] flat = new float[rows * out[0].length];
        for (int r = 0; r < rows; r++) System.arraycopy(out[r], 0, flat, r * out[0].length, out[0].length);
        return TensorData.wrap(flat, shape);
    }

    /** {@link #resample(Tensor, int, int)} of one signal. */
    static float[] resample(float[] x, int origRate, int newRate) {
        if (origRate < 1 || newRate < 1)
            throw new IllegalArgumentException("resample: rates must be positive, got " + origRate + " and " + newRate);
        if (origRate == newRate) return x.clone();
        int g = gcd(origRate, newRate);
        int orig = origRate / g, nu = newRate / g;
        double base = Math.min(orig, nu) * ROLLOFF;
        int width = (int) Math.ceil(LOWPASS_WIDTH * orig / base);
        int taps = 2 * width + orig;
        double[][] kernel = new double[nu][taps];
        double scale = base / orig;
        for (int p = 0; p < nu; p++)
            for (int j = 0; j < taps; j++) {
                double t = (-(double) p / nu + (double) (j - width) / orig) * base;
                t = Math.max(-LOWPASS_WIDTH, Math.min(LOWPASS_WIDTH, t));
                double w = Math.cos(t * Math.PI / LOWPASS_WIDTH / 2);
                double tp = t * Math.PI;
                kernel[p][j] = (tp == 0 ? 1.0 : Math.sin(tp) / tp) * w * w * scale;
            }
        long target = (long) Math.ceil((double) nu * x.length / orig);
        if (target > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("resample: the result is too long for an array");
        float[] out = new float[(int) target];
        // output frame f (stride orig over the padded signal) gives nu samples, one per phase
        for (int i = 0; i < out.length; i++) {
            int frame = i / nu, phase = i % nu;
            int start = frame * orig - width; // index into x of kernel tap 0
            double acc = 0;
            double[] k = kernel[phase];
            int j0 = Math.max(0, -start), j1 = Math.min(taps, x.length - start);
            for (int j = j0; j < j1; j++) acc += k[j] * x[start + j];
            out[i] = (float) acc;
        }
        return out;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
