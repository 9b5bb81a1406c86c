package dev.phasegrad.audio;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * An audio file decoded block by block, in constant memory whatever its length: the decoder behind
 * {@link Audio#read}, which reads a whole file through it, so a file read in blocks gives exactly
 * the samples of a file read whole. Formats, mixing to mono, scaling and every error message are
 * those of {@link Audio}; each problem is an {@link InputFileException} naming the source.
 *
 * <p>Only the header (the chunks before a WAV's 'data' chunk, at most {@value #MAX_HEADER_MB} MB)
 * is held; samples are decoded as they are asked for. A truncated file is detected when it is opened
 * when its length is known (a file), else at its end (a pipe), where {@link #read} throws instead of
 * returning -1. Not thread safe.
 */
public final class AudioStream implements Closeable {
    static final int MAX_HEADER_MB = 16;
    private static final int MAX_HEADER = MAX_HEADER_MB << 20;
    /** Bytes looked at to name what a non-WAV input is, and the room javax.sound's readers get to look back. */
    private static final int PROBE = 64 << 10;
    /** Sample frames decoded per {@link #read} at most. */
    public static final int BLOCK = 4096;

    private enum Kind { SIGNED, UNSIGNED, FLOAT }

    private final String name;
    private final InputStream owned;
    private final AudioInputStream ais;
    private final RiffProbe.Header riff;
    private final int channels;
    private final int bytesPerSample;
    private final int frameSize;
    private final int rate;
    private final Kind kind;
    private final boolean bigEndian;
    private final long declared;
    private final byte[] block;
    private long frames;
    private boolean ended;

    private AudioStream(String name, InputStream owned, AudioInputStream ais, RiffProbe.Header riff, int channels,
                        int bytesPerSample, int rate, Kind kind, boolean bigEndian) {
        this.name = name;
        this.owned = owned;
        this.ais = ais;
        this.riff = riff;
        this.channels = channels;
        this.bytesPerSample = bytesPerSample;
        this.frameSize = channels * bytesPerSample;
        this.rate = rate;
        this.kind = kind;
        this.bigEndian = bigEndian;
        long javax = ais.getFrameLength();
        if (riff != null) {
            this.declared = riff.dataSizeUnknown() || riff.blockAlign() <= 0 ? -1 : riff.dataSize() / riff.blockAlign();
        } else {
            this.declared = javax == AudioSystem.NOT_SPECIFIED || javax < 0 ? -1 : javax;
        }
        this.block = new byte[BLOCK * frameSize];
    }

    /**
     * Opens an audio file and reads its header.
     *
     * @throws InputFileException if the file is missing, unreadable, a directory, not audio, truncated
     *                            (judged from its length) or in an unsupported encoding
     */
    public static AudioStream open(Path file) throws InputFileException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new InputFileException(name, "is a directory, not a file");
        }
        InputStream in;
        long size;
        try {
            in = Files.newInputStream(file);
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new InputFileException(name, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new InputFileException(name, "permission denied", e);
        } catch (IOException e) {
            throw new InputFileException(name, "cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
        try {
            return open(in, name, size, true);
        } catch (InputFileException | RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /**
     * Opens audio arriving on a stream (standard input, a socket); the stream is read only as far as
     * asked and is not closed. Truncation is detected at the end of the samples.
     *
     * @param name how to name the source in messages, e.g. {@code "stdin"}
     */
    public static AudioStream open(InputStream in, String name) throws InputFileException {
        return open(Objects.requireNonNull(in, "in"), Objects.requireNonNull(name, "name"), -1, false);
    }

    /** A stream over bytes already in memory: the whole-file path of {@link Audio}. */
    static AudioStream open(byte[] bytes, String name) throws InputFileException {
        return open(new ByteArrayInputStream(bytes), name, bytes.length, false);
    }

    private static AudioStream open(InputStream in, String name, long total, boolean close) throws InputFileException {
        byte[] prefix = readPrefix(in, name);
        if (prefix.length == 0) {
            throw new InputFileException(name, "empty file (0 bytes)");
        }
        // javax.sound's readers mark, read the header and reset when the format is not theirs: the
        // buffer holds the whole header so that the reset always works.
        InputStream all = new BufferedInputStream(new SequenceInputStream(new ByteArrayInputStream(prefix), in),
                prefix.length + PROBE);
        AudioInputStream ais;
        try {
            ais = AudioSystem.getAudioInputStream(all);
        } catch (UnsupportedAudioFileException | IOException | RuntimeException e) {
            // javax.sound's own messages ("Stream of unsupported format") say nothing useful; look
            // at the header ourselves to tell the user what the file actually is.
            throw RiffProbe.diagnose(prefix, total, name, e);
        }
        AudioFormat format = ais.getFormat();
        AudioFormat.Encoding enc = format.getEncoding();
        RiffProbe.Header riff = RiffProbe.isRiffWave(prefix) ? RiffProbe.scan(prefix, total) : null;
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
        return new AudioStream(name, close ? in : null, ais, riff, channels, bytesPerSample, (int) rateF, kind,
                format.isBigEndian());
    }

    /**
     * The bytes a format check needs: for RIFF/WAVE every chunk up to and including the 'data' chunk's
     * 8-byte header (the whole input if there is none), else the first {@value #PROBE} bytes.
     */
    private static byte[] readPrefix(InputStream in, String name) throws InputFileException {
        ByteArrayOutputStream prefix = new ByteArrayOutputStream();
        byte[] head = new byte[12];
        int n = readFully(in, head, 12, name);
        prefix.write(head, 0, n);
        boolean wave = n == 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'W' && head[9] == 'A' && head[10] == 'V' && head[11] == 'E';
        if (!wave) {
            if (n == 12) {
                byte[] more = new byte[PROBE - 12];
                prefix.write(more, 0, readFully(in, more, more.length, name));
            }
            return prefix.toByteArray();
        }
        byte[] chunk = new byte[8];
        byte[] body = new byte[8192];
        while (true) {
            int got = readFully(in, chunk, 8, name);
            prefix.write(chunk, 0, got);
            if (got < 8 || (chunk[0] == 'd' && chunk[1] == 'a' && chunk[2] == 't' && chunk[3] == 'a')) {
                return prefix.toByteArray();
            }
            long size = (chunk[4] & 0xFFL) | (chunk[5] & 0xFFL) << 8 | (chunk[6] & 0xFFL) << 16
                    | (chunk[7] & 0xFFL) << 24;
            long left = size + (size & 1);
            if (prefix.size() + left > MAX_HEADER) {
                throw new InputFileException(name, "the chunks before the 'data' chunk take more than "
                        + MAX_HEADER_MB + " MB (not a WAV file phasegrad can read)");
            }
            while (left > 0) {
                int r = readFully(in, body, (int) Math.min(body.length, left), name);
                prefix.write(body, 0, r);
                if (r == 0) {
                    return prefix.toByteArray();
                }
                left -= r;
            }
        }
    }

    private static int readFully(InputStream in, byte[] b, int len, String name) throws InputFileException {
        try {
            return in.readNBytes(b, 0, len);
        } catch (IOException e) {
            throw new InputFileException(name, "read failed (" + e.getClass().getSimpleName() + ")", e);
        }
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
        if (h.truncated()) {
            throw new InputFileException(name, RiffProbe.truncation(h));
        }
    }

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

    /** Sample rate in Hz, the file's own. */
    public int sampleRate() {
        return rate;
    }

    /** Sample frames the header declares; -1 when it does not say (a WAV written to a pipe). */
    public long declaredFrames() {
        return declared;
    }

    /** Sample frames returned so far. */
    public long frames() {
        return frames;
    }

    /** The source as messages name it. */
    public String name() {
        return name;
    }

    /**
     * Decodes the next samples, mono, into {@code out[off ..]}. Allocates nothing.
     *
     * @param len at most this many (and at most {@link #BLOCK}); ≥ 1
     * @return the number written, ≥ 1; -1 at the end of the samples
     * @throws InputFileException on a read failure, a non-finite float sample (naming its frame), a
     *                            truncation found at the end, or a file that holds no samples
     */
    public int read(float[] out, int off, int len) throws InputFileException {
        if (len < 1 || off < 0 || off + len > out.length) {
            throw new IllegalArgumentException("read of " + len + " samples at " + off + " into " + out.length);
        }
        if (ended) {
            return -1;
        }
        int want = Math.min(len, BLOCK) * frameSize;
        int got;
        try {
            got = ais.readNBytes(block, 0, want);
        } catch (IOException e) {
            throw new InputFileException(name, "read failed while decoding samples ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        int n = got / frameSize;
        if (n == 0) {
            ended = true;
            checkEnd();
            return -1;
        }
        toMono(block, n, out, off);
        frames += n;
        return n;
    }

    private void checkEnd() throws InputFileException {
        if (riff == null && declared >= 0 && frames < declared) {
            throw new InputFileException(name, "truncated: header declares " + declared
                    + " sample frames, file holds " + frames);
        }
        if (riff != null && riff.dataAvailable() < 0 && declared >= 0 && frames < declared) {
            throw new InputFileException(name, RiffProbe.truncation(riff.withDataAvailable(frames * riff.blockAlign())));
        }
        if (frames == 0) {
            if (riff != null && riff.dataSize() == 0 && riff.dataAvailable() > 0) {
                throw new InputFileException(name, "'data' chunk declares 0 bytes but " + riff.dataAvailable()
                        + " bytes follow (unfinished write?)");
            }
            throw new InputFileException(name, "contains no audio samples");
        }
    }

    private void toMono(byte[] data, int n, float[] out, int off) throws InputFileException {
        int bps = bytesPerSample;
        // Integer containers are scaled by their full width so that a 20-bit-valid sample in a
        // 24-bit container still lands in [-1, 1).
        double scale = 1.0 / (1L << (8 * bps - 1));
        long offset = kind == Kind.UNSIGNED ? (1L << (8 * bps - 1)) : 0;
        double inv = 1.0 / channels;
        int pos = 0;
        for (int t = 0; t < n; t++) {
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
                                    + " sample at frame " + (frames + t) + (channels > 1 ? ", channel " + c : ""));
                        }
                }
                sum += v;
            }
            float mono = (float) (sum * inv);
            if (!Float.isFinite(mono)) {
                // float64 samples beyond the float32 range
                throw new InputFileException(name, "sample " + sum * inv + " at frame " + (frames + t)
                        + " exceeds the float32 range");
            }
            out[off + t] = mono;
        }
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

    /** Closes the file this stream opened; a stream given to {@link #open(InputStream, String)} stays open. */
    @Override
    public void close() {
        if (owned != null) {
            closeQuietly(owned);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing was written; a failed close of an input loses nothing
        }
    }
}
