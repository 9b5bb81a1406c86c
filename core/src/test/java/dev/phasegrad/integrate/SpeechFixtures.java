package dev.phasegrad.integrate;

import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Test helpers: the shipped speech clip and spectral convergence, in a few lines each. */
public final class SpeechFixtures {
    public static final String CLIP = "/dev/phasegrad/clips/auth-incorrect.wav";

    private SpeechFixtures() {
    }

    /** The shipped 16 kHz clip as floats in [−1, 1). */
    public static float[] clip() {
        try (InputStream raw = SpeechFixtures.class.getResourceAsStream(CLIP)) {
            if (raw == null) {
                throw new IllegalStateException("missing test resource " + CLIP);
            }
            return read(AudioSystem.getAudioInputStream(new BufferedInputStream(raw)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UnsupportedAudioFileException e) {
            throw new IllegalStateException(CLIP + ": " + e.getMessage(), e);
        }
    }

    /** Reads 16-bit PCM mono. */
    public static float[] read(AudioInputStream in) throws IOException {
        AudioFormat f = in.getFormat();
        if (f.getSampleSizeInBits() != 16 || f.getChannels() != 1 || f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED) {
            throw new IllegalArgumentException("expected 16-bit signed PCM mono, got " + f);
        }
        byte[] b = in.readAllBytes();
        float[] x = new float[b.length / 2];
        boolean big = f.isBigEndian();
        for (int i = 0; i < x.length; i++) {
            int lo = b[2 * i + (big ? 1 : 0)] & 0xff;
            int hi = b[2 * i + (big ? 0 : 1)];
            x[i] = ((hi << 8) | lo) / 32768f;
        }
        return x;
    }

    /**
     * Spectral convergence in dB of a reconstruction: 20·log10(‖ |STFT(ISTFT(rec))| − M ‖ / ‖M‖), i.e.
     * the consistency of the synthesised signal with the target magnitudes M.
     */
    public static double spectralConvergenceDb(float[][] targetMagnitude, Spectrogram reconstruction) {
        float[] y = Stft.synthesise(reconstruction);
        float[][] my = Stft.magnitude(y, reconstruction.config());
        double num = 0;
        double den = 0;
        for (int t = 0; t < targetMagnitude.length; t++) {
            for (int k = 0; k < targetMagnitude[t].length; k++) {
                double d = my[t][k] - targetMagnitude[t][k];
                num += d * d;
                den += (double) targetMagnitude[t][k] * targetMagnitude[t][k];
            }
        }
        return 10 * Math.log10(num / den);
    }
}
