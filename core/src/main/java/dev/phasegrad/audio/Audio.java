package dev.phasegrad.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

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
        byte[] bytes = InputFileException.readAllBytes(file);
        return decode(bytes, file.toString());
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
        if (bytes.length == 0) {
            throw new InputFileException(name, "empty file (0 bytes)");
        }
        AudioInputStream ais;
        try {
            ais = AudioSystem.getAudioInputStream(new ByteArrayInputStream(bytes));
        } catch (UnsupportedAudioFileException | IOException | RuntimeException e) {
            // javax.sound's own messages ("Stream of unsupported format") say nothing useful; look
            // at the header ourselves to tell the user what the file actually is.
            throw RiffProbe.diagnose(bytes, name, e);
        }
        AudioFormat format = ais.getFormat();
        AudioFormat.Encoding enc = format.getEncoding();
        RiffProbe.Header riff = RiffProbe.isRiffWave(bytes) ? RiffProbe.scan(bytes) : null;
        if (riff != null) {
            checkRiff(riff, format, name);
        }
        if (AudioFormat.Encoding.ULAW.equals(enc) || AudioFormat.Encoding.ALAW.equals(enc)) {
            // Companding decoders only change the sample encoding, never the rate, so this is safe.
            AudioFormat pcm = new AudioFormat(format.getSampleRate(), 16, format.getChannels(), true, false);
            try {
                ais = AudioSystem.getAudioInputStream(pcm, ais);
            } catch (IllegalArgumentException e) {
                throw new InputFileException(name, "cannot decode " + enc + " samples", e);
            }
            format = ais.getFormat();
            enc = format.getEncoding();
        }
        int channels = format.getChannels();
        int frameSize = format.getFrameSize();
        float rateF = format.getSampleRate();
        if (channels < 1) {
            throw new InputFileException(name, "invalid channel count " + channels);
        }
        if (!(rateF >= 1) || rateF > Integer.MAX_VALUE || rateF != Math.rint(rateF)) {
            throw new InputFileException(name, "invalid sample rate " + rateF + " Hz");
        }
        if (frameSize < channels || frameSize % channels != 0) {
            throw new InputFileException(name, "invalid frame size " + frameSize + " bytes for "
                    + channels + " channels");
        }
        int bytesPerSample = frameSize / channels;
        Kind kind = kindOf(enc, bytesPerSample);
        if (kind == null) {
            int bits = format.getSampleSizeInBits();
            if (AudioFormat.Encoding.PCM_FLOAT.equals(enc)) {
                throw new InputFileException(name, "unsupported float sample size " + bits + " bits (32 or 64 are read)");
            }
            if (AudioFormat.Encoding.PCM_SIGNED.equals(enc) || AudioFormat.Encoding.PCM_UNSIGNED.equals(enc)) {
                throw new InputFileException(name, "unsupported PCM sample size " + bits + " bits (up to 32 are read)");
            }
            throw new InputFileException(name, "unsupported encoding " + enc);
        }
        byte[] data;
        try {
            data = ais.readAllBytes();
        } catch (IOException e) {
            throw new InputFileException(name, "read failed while decoding samples ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        long declared = ais.getFrameLength();
        int frames = data.length / frameSize;
        // For WAV the chunk walk in checkRiff already judged truncation: javax.sound turns the
        // 0xFFFFFFFF "unknown size" marker into a huge frame count, so its count is not used there.
        if (riff == null && declared != AudioSystem.NOT_SPECIFIED && declared >= 0 && frames < declared) {
            throw new InputFileException(name, "truncated: header declares " + declared
                    + " sample frames, file holds " + frames);
        }
        if (frames == 0) {
            if (riff != null && riff.dataSize() == 0 && riff.dataAvailable() > 0) {
                throw new InputFileException(name, "'data' chunk declares 0 bytes but " + riff.dataAvailable()
                        + " bytes follow (unfinished write?)");
            }
            throw new InputFileException(name, "contains no audio samples");
        }
        float[] mono = toMono(data, frames, channels, bytesPerSample, kind, format.isBigEndian(), name);
        return new Audio(mono, (int) rateF);
    }

    /** Cross-checks javax.sound's reading of a WAV header against our own chunk walk. */
    private static void checkRiff(RiffProbe.Header h, AudioFormat format, String name) throws InputFileException {
        if (h.structuralProblem() != null) {
            throw new InputFileException(name, h.structuralProblem());
        }
        // javax.sound derives the frame size from channels × bits and ignores nBlockAlign, so a
        // header with padded frames would be decoded as garbage without this check.
        int frameSize = format.getFrameSize();
        if (h.blockAlign() != 0 && frameSize > 0 && h.blockAlign() != frameSize) {
            throw new InputFileException(name, "malformed 'fmt ' chunk: block align " + h.blockAlign()
                    + " bytes, but " + h.channels() + " channel(s) of " + h.bits() + " bits need " + frameSize);
        }
        if (!h.dataSizeUnknown() && h.dataSize() > h.dataAvailable()) {
            throw new InputFileException(name, RiffProbe.truncation(h));
        }
    }

    private enum Kind { SIGNED, UNSIGNED, FLOAT }

    private static Kind kindOf(AudioFormat.Encoding enc, int bytesPerSample) {
        if (AudioFormat.Encoding.PCM_SIGNED.equals(enc) && bytesPerSample >= 1 && bytesPerSample <= 4) {
            return Kind.SIGNED;
        }
        if (AudioFormat.Encoding.PCM_UNSIGNED.equals(enc) && bytesPerSample >= 1 && bytesPerSample <= 4) {
            return Kind.UNSIGNED;
        }
        if (AudioFormat.Encoding.PCM_FLOAT.equals(enc) && (bytesPerSample == 4 || bytesPerSample == 8)) {
            return Kind.FLOAT;
        }
        return null;
    }

    private static float[] toMono(byte[] data, int frames, int channels, int bps, Kind kind,
            boolean bigEndian, String name) throws InputFileException {
        float[] out = new float[frames];
        // Integer containers are scaled by their full width so that a 20-bit-valid sample in a
        // 24-bit container still lands in [-1, 1).
        double scale = 1.0 / (1L << (8 * bps - 1));
        long offset = kind == Kind.UNSIGNED ? (1L << (8 * bps - 1)) : 0;
        double inv = 1.0 / channels;
        int pos = 0;
        for (int t = 0; t < frames; t++) {
            // Start mono from -0.0 so that a lone channel passes through bit for bit (0.0 + -0.0 = 0.0).
            double sum = channels == 1 ? -0.0 : 0.0;
            for (int c = 0; c < channels; c++, pos += bps) {
                long raw = bigEndian ? readBe(data, pos, bps) : readLe(data, pos, bps);
                double v;
                switch (kind) {
                    case SIGNED:
                        v = signExtend(raw, bps) * scale;
                        break;
                    case UNSIGNED:
                        v = (raw - offset) * scale;
                        break;
                    default:
                        v = bps == 4 ? Float.intBitsToFloat((int) raw) : Double.longBitsToDouble(raw);
                        if (!Double.isFinite(v)) {
                            throw new InputFileException(name, (Double.isNaN(v) ? "NaN" : "infinite")
                                    + " sample at frame " + t + (channels > 1 ? ", channel " + c : ""));
                        }
                }
                sum += v;
            }
            out[t] = (float) (sum * inv);
        }
        return out;
    }

    private static long readLe(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static long readBe(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static long signExtend(long raw, int bytes) {
        int shift = 64 - 8 * bytes;
        return (raw << shift) >> shift;
    }
}
