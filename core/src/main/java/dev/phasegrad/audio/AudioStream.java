package dev.phasegrad.audio;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An audio file decoded block by block, in constant memory whatever its length: the decoder behind
 * {@link Audio#read}, which reads a whole file through it, so a file read in blocks gives exactly
 * the samples of a file read whole. Formats, mixing to mono, scaling and every error message are
 * those of {@link Audio}; each problem is an {@link InputFileException} naming the source. It needs
 * java.base only: WAV, AIFF/AIFF-C and Sun AU are parsed and decoded by the core's own decoder.
 *
 * <p>Only the header (the chunks before a WAV's 'data' or an AIFF's 'SSND' chunk, at most 16 MB) is
 * held; samples are decoded as they are asked for. A truncated file is detected when it is opened
 * when its length is known (a file), else at its end (a pipe), where {@link #read} throws instead of
 * returning -1. Not thread safe.
 */
public final class AudioStream implements Closeable {
    /** Sample frames decoded per {@link #read} at most. */
    public static final int BLOCK = 4096;

    private final String name;
    private final InputStream in;
    private final boolean owned;
    private final AudioDecoder.Layout layout;
    private final int frameSize;
    private final byte[] block;
    /** Bytes between the end of the header prefix and the first sample, still to skip. */
    private long skip;

    private long frames;
    private boolean ended;

    private AudioStream(String name, InputStream in, boolean owned, AudioDecoder.Layout layout, long skip) {
        this.name = name;
        this.in = in;
        this.owned = owned;
        this.layout = layout;
        this.frameSize = layout.frameSize();
        this.block = new byte[BLOCK * frameSize];
        this.skip = skip;
    }

    /**
     * Opens an audio file and reads its header.
     *
     * @param file the file
     * @return the stream, positioned at the first sample; close it
     * @throws InputFileException if the file is missing, unreadable, a directory, not audio, truncated
     *                            (judged from its length) or in an unsupported encoding
     */
    public static AudioStream open(Path file) throws InputFileException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        InputFileException.Opened opened = InputFileException.open(file);
        InputStream in = opened.in();
        long size = opened.size();
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
     * @param in   the encoded audio
     * @param name how to name the source in messages, e.g. {@code "stdin"}
     * @return the stream, positioned at the first sample
     * @throws InputFileException if the header cannot be read or is not audio that can be decoded
     */
    public static AudioStream open(InputStream in, String name) throws InputFileException {
        return open(Objects.requireNonNull(in, "in"), Objects.requireNonNull(name, "name"), -1, false);
    }

    /** A stream over bytes already in memory: the whole-file path of {@link Audio}. */
    static AudioStream open(byte[] bytes, String name) throws InputFileException {
        return open(new ByteArrayInputStream(bytes), name, bytes.length, false);
    }

    private static AudioStream open(InputStream in, String name, long total, boolean close) throws InputFileException {
        byte[] header = AudioDecoder.readHeader(in, name);
        AudioDecoder.Layout layout = AudioDecoder.layout(header, total, name);
        // the prefix ends at or before the first sample (an AIFF's SSND offset, an AU's annotation)
        return new AudioStream(name, in, close, layout, Math.max(0, layout.offset() - header.length));
    }

    /** {@return the sample rate in Hz, the file's own} */
    public int sampleRate() {
        return layout.rate();
    }

    /**
     * {@return the sample frames the header declares (or, when it leaves them open, the file's length
     * gives); -1 when neither says (a WAV written to a pipe, read from a pipe)}
     */
    public long declaredFrames() {
        return layout.frames();
    }

    /** {@return the sample frames returned so far} */
    public long frames() {
        return frames;
    }

    /** {@return the source as messages name it} */
    public String name() {
        return name;
    }

    /**
     * Decodes the next samples, mono, into {@code out[off ..]}. Allocates nothing.
     *
     * @param out receives the samples
     * @param off where they start in {@code out}
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
        long want = Math.min(len, BLOCK);
        if (layout.frames() >= 0) {
            want = Math.min(want, layout.frames() - frames);
        }
        int n = 0;
        if (want > 0) {
            int got;
            try {
                while (skip > 0) {
                    int k = in.readNBytes(block, 0, (int) Math.min(block.length, skip));
                    if (k == 0) {
                        break;
                    }
                    skip -= k;
                }
                got = skip > 0 ? 0 : in.readNBytes(block, 0, (int) want * frameSize);
            } catch (IOException e) {
                throw new InputFileException(
                        name,
                        "read failed while decoding samples (" + e.getClass().getSimpleName() + ")",
                        e);
            }
            n = got / frameSize;
        }
        if (n == 0) {
            ended = true;
            checkEnd();
            return -1;
        }
        AudioDecoder.toMono(block, n, layout, out, off, frames, name);
        frames += n;
        return n;
    }

    private void checkEnd() throws InputFileException {
        if (layout.frames() >= 0 && frames < layout.frames()) {
            throw new InputFileException(name, AudioDecoder.truncation(layout, frames));
        }
        if (frames == 0) {
            throw new InputFileException(name, AudioDecoder.noSamples(layout));
        }
    }

    /** Closes the file this stream opened; a stream given to {@link #open(InputStream, String)} stays open. */
    @Override
    public void close() {
        if (owned) {
            closeQuietly(in);
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
