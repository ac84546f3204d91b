/**
 * The discrete Fourier transform in double precision (the lectures' Fourier transform): 1-D of any length
 * ({@link org.jgrad.vision.fft.Fft}), 2-D and the quadrant shifts ({@link org.jgrad.vision.fft.Fft2}),
 * spectrum images ({@link org.jgrad.vision.fft.Spectrum}) and convolution by FFT
 * ({@link org.jgrad.vision.fft.FftConvolve}).
 */
package org.jgrad.vision.fft;
