package dev.phasegrad.flink;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.InputFileException;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deterministic magnitude frames for demos, benchmarks and tests: stream {@code i} is the embedded
 * speech clip ({@code auth-incorrect}, 4.6 s at 16 kHz) rotated by {@code i · 997} samples and scaled by
 * {@code 1 + i/8}, analysed on phasegrad's frame grid. The same stream index gives the same frames in
 * every JVM, so a replayed source gives the same frames again.
 */
public final class ClipFrames {
    private static final String CLIP = "/dev/phasegrad/clips/auth-incorrect.wav";
    private static final Map<String, float[][]> CACHE = new ConcurrentHashMap<>();

    private ClipFrames() {}

    /**
     * The frames of stream {@code index} (computed once per JVM and settings, shared: do not modify).
     *
     * @param index  stream index, ≥ 0
     * @param config STFT settings (the clip is resampled to their rate)
     * @return [frames][bins] magnitudes
     */
    public static float[][] frames(int index, StftConfig config) {
        return CACHE.computeIfAbsent(index + "/" + config, k -> {
            try {
                float[] x =
                        Audio.readResource(CLIP).resample(config.sampleRate()).samples();
                float[] y = new float[x.length];
                int shift = (int) ((long) index * 997 % x.length);
                float gain = 1f + index / 8f;
                for (int i = 0; i < x.length; i++) {
                    y[i] = gain * x[(i + shift) % x.length];
                }
                return Stft.magnitude(y, config);
            } catch (InputFileException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
