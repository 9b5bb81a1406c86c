package dev.phasegrad.invert;

import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.testing.TestAudio;

/** Shared test inputs for the PGHI family: the shipped speech clip, synthetic signals, a tiny SC. */
public final class PghiFixtures {
    private PghiFixtures() {}

    /** An embedded clip ({@code name}.wav) as floats in [−1, 1), read with the project's own reader. */
    public static float[] clip(String name) {
        return TestAudio.clip(name.endsWith(".wav") ? name.substring(0, name.length() - 4) : name, 16000);
    }

    public static float[] speech() {
        return clip("auth-incorrect.wav");
    }

    /**
     * Spectral convergence in dB of a reconstruction: re-analyse its waveform and compare magnitudes,
     * 10·log10(Σ(|S|−|Ŝ|)² / Σ|S|²).
     */
    public static double spectralConvergenceDb(float[][] targetMagnitude, Spectrogram reconstruction) {
        return spectralConvergenceDb(targetMagnitude, reconstruction, 0, targetMagnitude.length);
    }

    /** {@link #spectralConvergenceDb(float[][], Spectrogram)} over frames [from, to) only. */
    public static double spectralConvergenceDb(
            float[][] targetMagnitude, Spectrogram reconstruction, int from, int to) {
        float[] y = Stft.synthesise(reconstruction);
        float[][] m = Stft.magnitude(y, reconstruction.config());
        double num = 0;
        double den = 0;
        for (int t = from; t < to; t++) {
            for (int k = 0; k < targetMagnitude[t].length; k++) {
                double d = targetMagnitude[t][k] - m[t][k];
                num += d * d;
                den += (double) targetMagnitude[t][k] * targetMagnitude[t][k];
            }
        }
        return 10 * Math.log10(num / den);
    }

    /** Cosine of the given frequency in Hz, amplitude 0.5. */
    public static float[] sinusoid(StftConfig c, int length, double hz, double phase) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (0.5 * Math.cos(2 * Math.PI * hz * i / c.sampleRate() + phase));
        }
        return x;
    }

    /** Chirp from f0 to f1 Hz (linear) of the given length at the config's rate, amplitude 0.5. */
    public static float[] chirp(StftConfig c, int length, double f0, double f1) {
        float[] x = new float[length];
        double dur = (double) length / c.sampleRate();
        for (int i = 0; i < length; i++) {
            double t = (double) i / c.sampleRate();
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * (f0 * t + 0.5 * (f1 - f0) * t * t / dur)));
        }
        return x;
    }
}
