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
 * <p>Reading needs nothing beyond java.base. WAV is read with 8-bit unsigned, 16/24/32-bit signed
 * integer (any bit depth up to 32, in whole-byte containers) and 32/64-bit float samples, plain or
 * WAVE_FORMAT_EXTENSIBLE, plus 8-bit A-law and μ-law; AIFF/AIFF-C and Sun AU files are read too.
 * Multi-channel input is mixed to mono by averaging the channels. Integer samples are scaled to
 * [-1, 1) by 2^(bits−1) of their container (8-bit unsigned: centred on 128 first; A-law and μ-law:
 * expanded to 16 bits by G.711 first); float samples are kept as they are and must be finite. These
 * are the samples the JDK's own sampled-audio readers (java.desktop) give for the same files, bit for
 * bit. The sample rate is the file's own; ask {@link #read(Path, int)} or {@link #resample(int)} for
 * another one ({@link Resampler}). Files are decoded block by block by {@link AudioStream}, which
 * reads long files and standard input in constant memory.
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

    /**
     * Wraps {@code samples} without copying them.
     *
     * @param samples    mono samples, nominally in [-1, 1]
     * @param sampleRate sample rate in Hz, ≥ 1
     * @throws IllegalArgumentException if the sample rate is not positive
     */
    public Audio {
        Objects.requireNonNull(samples, "samples");
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
    }

    /**
     * Reads an audio file at its own sample rate.
     *
     * @param file the file
     * @return its samples, mixed to mono, and its sample rate
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
     * @param file       the file
     * @param targetRate wanted sample rate in Hz, ≥ 1
     * @return its samples, mixed to mono, at {@code targetRate}
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
     * @return the samples, mixed to mono, and their sample rate
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
     * @return the samples, mixed to mono, and their sample rate
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
     *
     * @param targetRate wanted sample rate in Hz, ≥ 1
     * @return the resampled audio
     */
    public Audio resample(int targetRate) {
        checkRate(targetRate);
        if (targetRate == sampleRate) {
            return this;
        }
        return new Audio(new Resampler(sampleRate, targetRate).process(samples), targetRate);
    }

    /** {@return the number of samples} */
    public int length() {
        return samples.length;
    }

    /** {@return the duration in seconds} */
    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "Audio[%d Hz, %d samples, %.3f s]", sampleRate, samples.length, durationSeconds());
    }

    private static void checkRate(int rate) {
        if (rate < 1) {
            throw new IllegalArgumentException("target sample rate must be positive, got " + rate);
        }
    }

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
                        throw new InputFileException(
                                in.name(), "more than " + n + " samples: too long to hold in memory");
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
