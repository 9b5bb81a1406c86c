package dev.phasegrad.metrics;

import dev.phasegrad.stft.RealFft;
import dev.phasegrad.stft.Windows;

/**
 * Power spectrogram |S[t,k]|² with a periodic Hann window of the FFT length, frames starting at
 * {@code 0, hop, 2·hop, …} and lying fully inside the signal (no padding, no centring), all
 * {@code fftSize/2 + 1} bins. Shared framing of {@link SpectralConvergence} and
 * {@link LogSpectralDistance}.
 */
final class FramedPower {
    private FramedPower() {}

    static void checkFraming(int fftSize, int hop) {
        if (fftSize < 2 || (fftSize & 1) != 0) {
            throw new IllegalArgumentException("FFT size must be even and >= 2, got " + fftSize);
        }
        if (hop < 1 || hop > fftSize) {
            throw new IllegalArgumentException("hop must be in [1, " + fftSize + "], got " + hop);
        }
    }

    /** {@code 1 + ⌊(n − fftSize)/hop⌋}, or an exception when not even one frame fits. */
    static int frames(int n, int fftSize, int hop) {
        if (n < fftSize) {
            throw new IllegalArgumentException(
                    "signal of " + n + " samples is shorter than one " + fftSize + "-sample frame");
        }
        return 1 + (n - fftSize) / hop;
    }

    /** Power spectrogram [frame][bin] of the first {@code frames} frames of {@code x}. */
    static double[][] power(double[] x, int fftSize, int hop, int frames) {
        double[] w = Windows.periodicHann(fftSize);
        RealFft fft = new RealFft(fftSize);
        int bins = fftSize / 2 + 1;
        double[] buf = new double[fftSize];
        double[] re = new double[bins];
        double[] im = new double[bins];
        double[][] p = new double[frames][bins];
        for (int t = 0; t < frames; t++) {
            int s = t * hop;
            for (int i = 0; i < fftSize; i++) {
                buf[i] = w[i] * x[s + i];
            }
            fft.forward(buf, re, im);
            double[] row = p[t];
            for (int k = 0; k < bins; k++) {
                row[k] = re[k] * re[k] + im[k] * im[k];
            }
        }
        return p;
    }
}
