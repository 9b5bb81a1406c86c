package dev.phasegrad.invert;

import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.io.BufferedInputStream;
import java.io.InputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Test helpers: the shipped speech clip and spectral convergence. */
final class SpeechFixture {
    static final String CLIP = "/dev/phasegrad/clips/auth-incorrect.wav";

    private SpeechFixture() {
    }

    /** The shipped 16 kHz mono 16-bit clip as floats in [−1, 1). */
    static float[] speech() {
        try (InputStream raw = SpeechFixture.class.getResourceAsStream(CLIP)) {
            if (raw == null) {
                throw new IllegalStateException("missing test resource " + CLIP);
            }
            try (AudioInputStream in = AudioSystem.getAudioInputStream(new BufferedInputStream(raw))) {
                AudioFormat f = in.getFormat();
                if (f.getChannels() != 1 || f.getSampleSizeInBits() != 16 || f.getSampleRate() != 16000f
                        || f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED) {
                    throw new IllegalStateException(CLIP + ": expected 16 kHz mono 16-bit PCM, got " + f);
                }
                byte[] bytes = in.readAllBytes();
                float[] x = new float[bytes.length / 2];
                boolean big = f.isBigEndian();
                for (int i = 0; i < x.length; i++) {
                    int lo = bytes[2 * i + (big ? 1 : 0)] & 0xff;
                    int hi = bytes[2 * i + (big ? 0 : 1)];
                    x[i] = ((hi << 8) | lo) / 32768f;
                }
                return x;
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + CLIP + ": " + e, e);
        }
    }

    /**
     * Spectral convergence in dB of a reconstruction: resynthesise it, re-analyse, and compare the
     * magnitudes with the target, 10·log10(Σ(|S| − |Ŝ|)² / Σ|S|²).
     */
    static double spectralConvergenceDb(float[][] target, Spectrogram reconstruction) {
        float[] y = Stft.synthesise(reconstruction);
        float[][] got = Stft.magnitude(y, reconstruction.config());
        double num = 0;
        double den = 0;
        for (int t = 0; t < target.length; t++) {
            for (int k = 0; k < target[t].length; k++) {
                double d = target[t][k] - got[t][k];
                num += d * d;
                den += (double) target[t][k] * target[t][k];
            }
        }
        return 10 * Math.log10(num / den);
    }

    static float[][] magnitude(float[] x, StftConfig c) {
        return Stft.magnitude(x, c);
    }

    /** Bytes the current thread allocates while running {@code r} (after one warm-up run). */
    static long allocatedBytes(Runnable r) {
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        r.run();
        long before = bean.getThreadAllocatedBytes(id);
        r.run();
        return bean.getThreadAllocatedBytes(id) - before;
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
