package dev.phasegrad.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A mono waveform with its sample rate, and the one entry point for reading audio files.
 *
 * <p>Reading goes through {@code javax.sound.sampled}, which in Java 17 decodes WAV with 8-bit
 * unsigned, 16/24/32-bit signed integer and 32/64-bit float samples, plain or
 * WAVE_FORMAT_EXTENSIBLE, plus μ-law/A-law (and AIFF/AU, which come for free). Multi-channel input
 * is mixed to mono by averaging the channels. Integer samples are scaled to [-1, 1) by
 * 2^(bits−1) (8-bit unsigned: centred on 128 first); float samples are kept as they are and must
 * be finite. The sample rate is the file's own; ask {@link #read(Path, int)} or
 * {@link #resample(int)} for another one ({@link Resampler}, never javax.sound's aliasing
 * converter).
 *
 * <p>Every failure — missing file, not a WAV, truncated, empty, unsupported encoding — is an
 * {@link InputFileException} whose message is one line naming the file and the problem.
 *
 * <p>The record does not copy {@code samples}: treat the array as read-only once it is wrapped,
 * then instances are immutable and safe to share between threads. Being a record with an array
 * component, {@code equals} compares the array by identity; compare {@code samples()} with
 * {@link java.util.Arrays#equals(float[], float[])} for content.
 *
 * @param samples    mono samples, nominally in [-1, 1]
 * @param sampleRate sample rate in Hz, ≥ 1
 */
public record Audio(float[] samples, int sampleRate) {

    public Audio {
        Objects.requireNonNull(samples, "samples");
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
    }

    /**
     * Reads an audio file at its own sample rate.
     *
     * @throws InputFileException if the file is missing, unreadable, not audio, truncated, holds
     *                            no samples, or uses an encoding that is not supported
     */
    public static Audio read(Path file) throws InputFileException {
        try (AudioStream in = AudioStream.open(file)) {
            return readAll(in);
        }
    }

    /**
     * Reads an audio file and resamples it to {@code targetRate} Hz with {@link Resampler} when its
     * own rate differs.
     *
     * @param targetRate wanted sample rate in Hz, ≥ 1
     * @throws InputFileException as {@link #read(Path)}
     */
    public static Audio read(Path file, int targetRate) throws InputFileException {
        checkRate(targetRate);
        return read(file).resample(targetRate);
    }

    /**
     * Reads audio from a stream until its end. The stream is not closed.
     *
     * @param in   the encoded file contents
     * @param name how to name the source in error messages (e.g. a resource or file name)
     * @throws InputFileException as {@link #read(Path)}, or if reading the stream fails
     */
    public static Audio read(InputStream in, String name) throws InputFileException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(name, "name");
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new InputFileException(name, "read failed (" + e.getClass().getSimpleName() + ")", e);
        }
        return decode(bytes, name);
    }

    /**
     * Reads audio from a classpath resource, e.g. {@code "/dev/phasegrad/clips/auth-incorrect.wav"}.
     *
     * @param resource absolute resource path (leading '/'), resolved with this class's loader
     * @throws InputFileException if there is no such resource, or as {@link #read(Path)}
     */
    public static Audio readResource(String resource) throws InputFileException {
        Objects.requireNonNull(resource, "resource");
        try (InputStream in = Audio.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new InputFileException(resource, "no such classpath resource");
            }
            return read(in, resource);
        } catch (InputFileException e) {
            throw e;
        } catch (IOException e) {
            throw new InputFileException(resource, "cannot close resource stream", e);
        }
    }

    /**
     * This audio at another sample rate, through {@link Resampler}; {@code this} if the rate is
     * already {@code targetRate}.
     */
    public Audio resample(int targetRate) {
        checkRate(targetRate);
        if (targetRate == sampleRate) {
            return this;
        }
        return new Audio(new Resampler(sampleRate, targetRate).process(samples), targetRate);
    }

    /** Number of samples. */
    public int length() {
        return samples.length;
    }

    /** Duration in seconds. */
    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Audio[%d Hz, %d samples, %.3f s]",
                sampleRate, samples.length, durationSeconds());
    }

    private static void checkRate(int rate) {
        if (rate < 1) {
            throw new IllegalArgumentException("target sample rate must be positive, got " + rate);
        }
    }

    // ------------------------------------------------------------------------------------------

    static Audio decode(byte[] bytes, String name) throws InputFileException {
        try (AudioStream in = AudioStream.open(bytes, name)) {
            return readAll(in);
        }
    }

    /** Every remaining sample of {@code in}, as one Audio. */
    static Audio readAll(AudioStream in) throws InputFileException {
        long declared = in.declaredFrames();
        // the header's count sizes the array, but only up to what a lying header could cost in vain
        float[] out = new float[(int) Math.max(AudioStream.BLOCK, Math.min(declared, 1 << 24))];
        int n = 0;
        try {
            while (true) {
                if (out.length - n < AudioStream.BLOCK) {
                    if (out.length >= Integer.MAX_VALUE - 8 - AudioStream.BLOCK) {
                        throw new InputFileException(in.name(), "more than " + n + " samples: too long to hold in memory");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 8L, 2L * out.length));
                }
                int r = in.read(out, n, AudioStream.BLOCK);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (OutOfMemoryError e) {
            throw new InputFileException(in.name(), "too large to read into memory", e);
        }
        return new Audio(n == out.length ? out : Arrays.copyOf(out, n), in.sampleRate());
    }
}
