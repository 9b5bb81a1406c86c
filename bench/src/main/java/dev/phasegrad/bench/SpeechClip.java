package dev.phasegrad.bench;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.InputFileException;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.util.Arrays;

/**
 * The speech clip shipped in core's resources, analysed for one STFT configuration: the input every
 * benchmark streams, so the hot paths see realistic magnitudes (silence, onsets, harmonics) rather
 * than noise. Immutable after construction.
 */
public final class SpeechClip {
    static final String RESOURCE = "/dev/phasegrad/clips/auth-incorrect.wav";

    private final StftConfig config;
    private final float[] padded;
    private final Spectrogram truth;
    private final float[][] magnitude;

    /** Analyses the clip with {@code config}; the signal is zero-padded to a whole number of hops. */
    public SpeechClip(StftConfig config) {
        float[] signal;
        try {
            signal = Audio.readResource(RESOURCE).samples();
        } catch (InputFileException e) {
            throw new IllegalStateException("benchmark clip " + RESOURCE + " unreadable: " + e.getMessage(), e);
        }
        this.config = config;
        this.truth = Stft.analyse(signal, config);
        this.magnitude = truth.magnitude();
        this.padded = Arrays.copyOf(signal, truth.frames() * config.hop());
    }

    /** "512/128" or "1024/256" (Hann, 16 kHz), the two configurations the project reports. */
    public static StftConfig config(String fftSlashHop) {
        switch (fftSlashHop) {
            case "512/128":
                return StftConfig.HANN_512_128;
            case "1024/256":
                return StftConfig.DEFAULT;
            default:
                String[] p = fftSlashHop.split("/");
                if (p.length != 2) {
                    throw new IllegalArgumentException(
                            "STFT configuration must look like 512/128, got '" + fftSlashHop + "'");
                }
                return StftConfig.hann(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        }
    }

    public StftConfig config() {
        return config;
    }

    public int frames() {
        return magnitude.length;
    }

    /** The clip's STFT (true phase). */
    public Spectrogram truth() {
        return truth;
    }

    /** Magnitude frame t, N/2+1 bins (shared: do not modify). */
    public float[] magnitude(int t) {
        return magnitude[t];
    }

    /** The padded signal; hop t is {@code [t·H, (t+1)·H)} (shared: do not modify). */
    public float[] signal() {
        return padded;
    }
}
