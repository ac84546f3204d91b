package org.jgrad.vision.audio;

/**
 * Hertz ↔ mel conversions, as {@code torchaudio.functional.melscale_fbanks} defines them.
 * {@link #HTK} is torchaudio's default; {@link #SLANEY} is librosa's default (Auditory Toolbox).
 */
public enum MelScale {
    /** {@code mel = 2595·log10(1 + f/700)}. */
    HTK {
        @Override
        public double toMel(double hz) {
            return 2595.0 * Math.log10(1.0 + hz / 700.0);
        }

        @Override
        public double toHz(double mel) {
            return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
        }
    },
    /** Linear below 1 kHz ({@code mel = 3f/200}), logarithmic above (27 mels per factor 6.4). */
    SLANEY {
        private static final double F_SP = 200.0 / 3, MIN_LOG_HZ = 1000.0, MIN_LOG_MEL = MIN_LOG_HZ / F_SP,
                LOGSTEP = Math.log(6.4) / 27.0;

        @Override
        public double toMel(double hz) {
            return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
        }

        @Override
        public double toHz(double mel) {
            return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
        }
    };

    /** Hertz to mels. */
    public abstract double toMel(double hz);

    /** Mels to hertz. */
    public abstract double toHz(double mel);
}
