package dev.phasegrad.audio;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Magnitude frames read incrementally from a byte stream (a pipe, a socket), one frame per
 * {@link #next} call, so a consumer can start before the producer has finished. Two encodings,
 * told apart by the first bytes:
 * <ul>
 *   <li>an <b>.npy stream</b> (starts with {@code \x93NUMPY}): the header is read first, then the
 *       {@code (frames, bins)} rows of {@code '<f4'} or {@code '<f8'} one at a time, exactly as
 *       {@link Npy#readMagnitude} would read the whole file;</li>
 *   <li>otherwise <b>raw little-endian float32</b>, {@code bins} values per frame, until end of input.</li>
 * </ul>
 * Every value goes through the same conversion and checks as {@link Npy}'s whole-file readers
 * (finite; non-negative, or natural-log magnitudes exponentiated when {@code log}), so the
 * magnitudes are bit-identical to reading the same .npy file whole. Problems are an
 * {@link InputFileException} whose one-line message names the frame and bin, e.g.
 * {@code "stdin: NaN at frame 12, bin 40"} or
 * {@code "stdin: partial frame 7 at end of input: 1000 of 2052 bytes (513 float32 values per frame)"}.
 *
 * <p>{@link #next} allocates nothing. Not thread safe; the stream is not closed.
 */
public final class MagnitudeFrames implements Closeable {
    private final InputStream in;
    private final String name;
    private final int bins;
    private final Npy.Mode mode;
    private final boolean npy;
    private final long declaredFrames;
    private final String shapeText;
    private final int itemSize;
    private final byte[] bytes;
    private final ByteBuffer buffer;
    private long frames;
    private boolean ended;
    /** Bytes before the first frame (the .npy preamble and header). */
    private long dataStart;
    /** The file {@link #open(Path, int, boolean)} opened, closed by {@link #close()}; null for a given stream. */
    private InputStream owned;

    private MagnitudeFrames(
            InputStream in,
            String name,
            int bins,
            Npy.Mode mode,
            boolean npy,
            long declaredFrames,
            String shapeText,
            int itemSize) {
        this.in = in;
        this.name = name;
        this.bins = bins;
        this.mode = mode;
        this.npy = npy;
        this.declaredFrames = declaredFrames;
        this.shapeText = shapeText;
        this.itemSize = itemSize;
        this.bytes = new byte[bins * itemSize];
        this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Detects the encoding and, for .npy, reads and checks the header (blocking until it arrives).
     *
     * @param in   the byte stream; read only as far as needed, never closed
     * @param name how to name the source in messages, e.g. {@code "stdin"}
     * @param bins values per frame: N/2 + 1 for FFT size N (an .npy header must agree)
     * @param log  values are natural-log magnitudes ln|X| (exp is applied), else magnitudes |X|
     * @return the frame reader
     * @throws InputFileException if the .npy header is malformed, unsupported or disagrees on bins
     */
    public static MagnitudeFrames open(InputStream in, String name, int bins, boolean log) throws InputFileException {
        return open(in, name, bins, log ? Npy.Mode.LOG_MAGNITUDE : Npy.Mode.MAGNITUDE);
    }

    /**
     * Like {@link #open} for frames of any finite values (log-mel features of {@code bands} values),
     * passed through unchanged.
     *
     * @param in    the byte stream; read only as far as needed, never closed
     * @param name  how to name the source in messages
     * @param bands values per frame
     * @return the frame reader
     * @throws InputFileException if the .npy header is malformed, unsupported or disagrees on bands
     */
    public static MagnitudeFrames openFeatures(InputStream in, String name, int bands) throws InputFileException {
        return open(in, name, bands, Npy.Mode.RAW);
    }

    private static MagnitudeFrames open(InputStream in, String name, int bins, Npy.Mode mode)
            throws InputFileException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(name, "name");
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be positive, got " + bins);
        }
        PushbackInputStream p = new PushbackInputStream(in, 8);
        byte[] pre = new byte[8];
        int n = readFully(p, pre, 0, 8, name);
        if (!Npy.isMagic(pre, n)) {
            unread(p, pre, n, name);
            return new MagnitudeFrames(p, name, bins, mode, false, -1, null, 4);
        }
        if (n < 8) {
            throw new InputFileException(name, "truncated .npy preamble (" + n + " bytes)");
        }
        int major = pre[6] & 0xFF;
        int lengthSize = Npy.lengthFieldSize(major, pre[7] & 0xFF, name);
        byte[] len = new byte[lengthSize];
        if (readFully(p, len, 0, lengthSize, name) < lengthSize) {
            throw new InputFileException(name, "truncated .npy preamble");
        }
        long headerLength = Npy.headerLength(len, 0, lengthSize);
        if (headerLength > 1 << 20) {
            throw new InputFileException(name, ".npy header of " + headerLength + " bytes is implausibly large");
        }
        byte[] text = new byte[(int) headerLength];
        int got = readFully(p, text, 0, text.length, name);
        if (got < text.length) {
            throw new InputFileException(
                    name, "truncated .npy header (declares " + headerLength + " bytes, stream holds " + got + ")");
        }
        Npy.Header h = Npy.header(
                new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1),
                name,
                mode == Npy.Mode.RAW ? -1 : bins);
        if (h.bins() != bins) {
            // features are no spectrum: their count is no FFT's
            throw new InputFileException(name, "frames of " + h.bins() + " values, expected " + bins);
        }
        MagnitudeFrames f = new MagnitudeFrames(p, name, bins, mode, true, h.frames(), h.shapeText(), h.itemSize());
        f.dataStart = 8 + lengthSize + headerLength;
        return f;
    }

    /**
     * Opens an .npy file of magnitude frames to read one frame at a time (a file of any length, in
     * constant memory): the header is checked, and the file's size against it, as {@link Npy#readMagnitude}
     * and {@link Npy#readLogMagnitude} check them, with the same messages; the values then as {@link #next}
     * reads them. {@link #close()} closes the file.
     *
     * @param file the .npy file
     * @param bins values per frame: N/2 + 1 for FFT size N
     * @param log  values are natural-log magnitudes ln|X|
     * @return its frames, read as they are asked for
     * @throws InputFileException if the file is missing, not an .npy file, malformed, of another bin count,
     *                            or shorter or longer than its shape says
     */
    public static MagnitudeFrames open(Path file, int bins, boolean log) throws InputFileException {
        return openFile(file, bins, log ? Npy.Mode.LOG_MAGNITUDE : Npy.Mode.MAGNITUDE);
    }

    /**
     * {@link #open(Path, int, boolean)} for an .npy file of feature frames of {@code bands} finite values.
     *
     * @param file  the .npy file
     * @param bands values per frame
     * @return its frames, read as they are asked for
     * @throws InputFileException as {@link #open(Path, int, boolean)}
     */
    public static MagnitudeFrames openFeatures(Path file, int bands) throws InputFileException {
        return openFile(file, bands, Npy.Mode.RAW);
    }

    private static MagnitudeFrames openFile(Path file, int bins, Npy.Mode mode) throws InputFileException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        InputFileException.Opened opened = InputFileException.open(file);
        InputStream in = new BufferedInputStream(opened.in(), 1 << 16);
        long size = opened.size();
        try {
            if (size == 0) {
                throw new InputFileException(name, "empty file (0 bytes)");
            }
            MagnitudeFrames f = open(in, name, bins, mode);
            if (!f.npy) {
                throw new InputFileException(name, "not a .npy file (missing \\x93NUMPY magic)");
            }
            long needed = f.declaredFrames * bins * f.itemSize;
            long available = size - f.dataStart;
            if (available < needed) {
                throw new InputFileException(
                        name,
                        "truncated: shape " + f.shapeText + " needs " + needed + " data bytes, file holds "
                                + available);
            }
            if (available > needed) {
                throw new InputFileException(
                        name,
                        (available - needed) + " unexpected bytes after the " + f.shapeText
                                + " array (corrupt file or wrong shape)");
            }
            f.owned = in;
            return f;
        } catch (InputFileException | RuntimeException e) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the open failed already; that is the error to report
            }
            throw e;
        }
    }

    /** Closes the file {@link #open(Path, int, boolean)} opened; a stream given to {@link #open} stays open. */
    @Override
    public void close() throws IOException {
        if (owned != null) {
            owned.close();
        }
    }

    /** {@return true for an .npy stream, false for raw float32} */
    public boolean isNpy() {
        return npy;
    }

    /** {@return the frames the .npy header declares; -1 for raw float32 (read until end of input)} */
    public long declaredFrames() {
        return declaredFrames;
    }

    /** {@return the values per frame} */
    public int bins() {
        return bins;
    }

    /** {@return the frames returned by {@link #next} so far} */
    public long frames() {
        return frames;
    }

    /**
     * Reads the next frame's magnitudes into {@code magnitude[0 .. bins)}, blocking until the whole
     * frame has arrived.
     *
     * @param magnitude receives the next frame's {@link #bins()} values
     * @return false at the end of the frames (end of input for raw float32; the declared count for
     *         .npy, after checking that nothing follows it)
     * @throws InputFileException on a partial frame, an .npy stream that ends early or runs on, a
     *                            non-finite value, a negative magnitude (without {@code log}) or an
     *                            overflowing exp; {@code magnitude} then holds no complete frame
     */
    public boolean next(float[] magnitude) throws InputFileException {
        if (magnitude.length < bins) {
            throw new IllegalArgumentException("frame buffer holds " + magnitude.length + " values, need " + bins);
        }
        if (ended) {
            return false;
        }
        if (npy && frames == declaredFrames) {
            ended = true;
            int extra = readFully(in, bytes, 0, Math.min(bytes.length, 1), name);
            if (extra > 0) {
                throw new InputFileException(
                        name, "unexpected bytes after the " + shapeText + " array (corrupt stream or wrong shape)");
            }
            return false;
        }
        int got = readFully(in, bytes, 0, bytes.length, name);
        if (got == 0) {
            ended = true;
            if (npy) {
                throw new InputFileException(
                        name,
                        ".npy stream ended after " + frames + " of the " + declaredFrames + " frames its shape "
                                + shapeText + " declares");
            }
            return false;
        }
        if (got < bytes.length) {
            ended = true;
            throw new InputFileException(
                    name,
                    "partial frame " + frames + " at end of input: " + got + " of "
                            + bytes.length + " bytes (" + bins + (itemSize == 4 ? " float32" : " float64")
                            + " values per frame)");
        }
        long t = frames;
        for (int k = 0; k < bins; k++) {
            double v = itemSize == 4 ? buffer.getFloat(k * 4) : buffer.getDouble(k * 8);
            magnitude[k] = Npy.convert(v, mode, name, t, k);
        }
        frames++;
        return true;
    }

    /** Reads until {@code len} bytes or end of input; returns the count read. */
    private static int readFully(InputStream in, byte[] b, int off, int len, String name) throws InputFileException {
        try {
            return in.readNBytes(b, off, len);
        } catch (IOException e) {
            throw new InputFileException(name, "read failed (" + e.getMessage() + ")", e);
        }
    }

    private static void unread(PushbackInputStream p, byte[] b, int n, String name) throws InputFileException {
        try {
            p.unread(b, 0, n);
        } catch (IOException e) {
            throw new InputFileException(name, "read failed (" + e.getMessage() + ")", e);
        }
    }
}
