/**
 * Sound for the lectures' speech-recognition example: WAV files ({@link org.jgrad.vision.audio.WavFile}),
 * resampling, the short-time Fourier transform and (log-)mel spectrograms with torchaudio's conventions,
 * and the synthetic spoken-digits data set ({@link org.jgrad.vision.audio.SpeechDigits}).
 */
package org.jgrad.vision.audio;
