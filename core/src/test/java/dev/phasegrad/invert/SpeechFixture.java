package dev.phasegrad.invert;

import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.testing.TestAudio;

/** Test helpers: the shipped speech clip and spectral convergence. */
final class SpeechFixture {
    private SpeechFixture() {}

    /** The shipped 16 kHz mono 16-bit clip as floats in [−1, 1). */
    static float[] speech() {
        return TestAudio.clip(16000);
    }

    /** Spectral convergence in dB of a reconstruction, see {@link PghiFixtures#spectralConvergenceDb}. */
    static double spectralConvergenceDb(float[][] target, Spectrogram reconstruction) {
        return PghiFixtures.spectralConvergenceDb(target, reconstruction);
    }

    static float[][] magnitude(float[] x, StftConfig c) {
        return Stft.magnitude(x, c);
    }

    /** Runs {@code inverter} with push() over all frames plus the look-ahead drain, as a spectrogram. */
    static float[][][] pushAll(StreamingInverter inverter, float[][] magnitude) {
        int bins = inverter.config().bins();
        int frames = magnitude.length;
        float[][] re = new float[frames][bins];
        float[][] im = new float[frames][bins];
        float[] silence = new float[bins];
        float[] r = new float[bins];
        float[] i = new float[bins];
        int out = 0;
        for (int t = 0; t < frames + inverter.lookahead(); t++) {
            if (inverter.push(t < frames ? magnitude[t] : silence, r, i)) {
                System.arraycopy(r, 0, re[out], 0, bins);
                System.arraycopy(i, 0, im[out], 0, bins);
                out++;
            }
        }
        if (out != frames) {
            throw new AssertionError("expected " + frames + " output frames, got " + out);
        }
        return new float[][][] {re, im};
    }

    /** A sinusoid of {@code hz} and a linear chirp, both 0.5 amplitude at 16 kHz. */
    static float[] sinusoid(int length, double hz, double phase0) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (0.5 * Math.cos(2 * Math.PI * hz * i / 16000.0 + phase0));
        }
        return x;
    }

    static float[] chirp(int length, double fromHz, double toHz) {
        float[] x = new float[length];
        double rate = (toHz - fromHz) / (length / 16000.0);
        for (int i = 0; i < length; i++) {
            double t = i / 16000.0;
            x[i] = (float) (0.5 * Math.cos(2 * Math.PI * (fromHz * t + 0.5 * rate * t * t)));
        }
        return x;
    }

    /** Milliseconds of one call, for the printed summary only (never asserted). */
    static double millis(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }
}
