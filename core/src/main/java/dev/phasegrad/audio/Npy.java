package dev.phasegrad.audio;

import dev.phasegrad.PhaseInverter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spectrograms as NumPy {@code .npy} files: a 2-D array of shape (frames, bins), row-major,
 * frame t = row t, bin k = column k (k = 0 … N/2 for FFT size N). librosa's
 * {@code np.abs(librosa.stft(y))} is (bins, frames): save its transpose.
 *
 * <p><b>Writing</b> always produces format version 1.0, dtype {@code '<f4'} (little-endian
 * float32), {@code fortran_order: False}, with the header laid out exactly as {@code numpy.save}
 * lays it out (64-byte aligned), atomically (temp file + rename).
 *
 * <p><b>Reading</b> accepts versions 1.0, 2.0 and 3.0, dtypes {@code '<f4'} and {@code '<f8'}
 * (converted to float), 2-D C-order arrays only. Everything else — Fortran order, other dtypes,
 * other ranks, truncated data, NaN/Inf, wrong bin count, negative magnitudes, magnitudes above
 * {@link #MAX_MAGNITUDE} — is an
 * {@link InputFileException} with a one-line message such as
 * {@code "spec.npy: expected 513 bins per frame (FFT 1024), got 257"} or
 * {@code "spec.npy: NaN at frame 12, bin 40"}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy leaves room for the first axis to grow to this many digits without moving the data. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private static final int ALIGN = 64;
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    // ------------------------------------------------------------------ writing

    /**
     * Writes a (frames, bins) float32 array.
     *
     * @param file   target path; its directory must exist
     * @param frames {@code frames[t][k]}; at least one frame, all of equal non-zero length, finite
     * @throws IllegalArgumentException if the array is empty, ragged or holds NaN/Inf (nothing is
     *                                  written then)
     * @throws IOException              if the file cannot be written (the target is then unchanged)
     */
    public static void write(Path file, float[][] frames) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(frames, "frames");
        if (frames.length == 0) {
            throw new IllegalArgumentException("no frames to write");
        }
        int bins = frames[0].length;
        if (bins == 0) {
            throw new IllegalArgumentException("frames have 0 bins");
        }
        for (int t = 0; t < frames.length; t++) {
            if (frames[t].length != bins) {
                throw new IllegalArgumentException(
                        "frame " + t + " has " + frames[t].length + " bins, frame 0 has " + bins);
            }
            for (int k = 0; k < bins; k++) {
                if (!Float.isFinite(frames[t][k])) {
                    throw new IllegalArgumentException(nonFinite(frames[t][k]) + " at frame " + t + ", bin " + k);
                }
            }
        }
        byte[] header = header(frames.length, bins);
        AtomicFiles.write(file, out -> {
            out.write(header);
            ByteBuffer row = ByteBuffer.allocate(bins * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] f : frames) {
                row.clear();
                row.asFloatBuffer().put(f);
                out.write(row.array(), 0, bins * 4);
            }
        });
    }

    /** The version 1.0 preamble and header numpy 1.x/2.x writes for a C-order '<f4' array. */
    static byte[] header(int frames, int bins) {
        StringBuilder dict = new StringBuilder()
                .append("{'descr': '<f4', 'fortran_order': False, 'shape': (")
                .append(frames)
                .append(", ")
                .append(bins)
                .append("), }");
        dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(frames).length()));
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (ALIGN - unpadded % ALIGN) % ALIGN;
        dict.append(" ".repeat(pad)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[MAGIC.length + 4 + text.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) text.length;
        out[9] = (byte) (text.length >> 8);
        System.arraycopy(text, 0, out, 10, text.length);
        return out;
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads a finite 2-D array without further interpretation (any bin count, any sign).
     *
     * @param file the .npy file
     * @return {@code [frames][bins]}
     * @throws InputFileException if the file is missing, not a supported .npy, or holds NaN/Inf
     */
    public static float[][] read(Path file) throws InputFileException {
        return parse(InputFileException.readAllBytes(file), file.toString(), -1, Mode.RAW);
    }

    /**
     * Reads a magnitude spectrogram: non-negative, finite, {@code expectedBins} bins per frame.
     *
     * @param file         the .npy file
     * @param expectedBins bins per frame the caller's STFT uses (N/2 + 1 for FFT size N)
     * @return {@code [frames][bins]} magnitudes
     * @throws InputFileException if the file is not a supported .npy, the bin count differs, or a
     *                            value is NaN, infinite or negative
     */
    public static float[][] readMagnitude(Path file, int expectedBins) throws InputFileException {
        checkBins(expectedBins);
        return parse(InputFileException.readAllBytes(file), file.toString(), expectedBins, Mode.MAGNITUDE);
    }

    /**
     * Reads a natural-log magnitude spectrogram (values ln|X|) and returns the magnitudes
     * exp(value). Values may be negative; they must be finite (store a floor such as ln(1e-8)
     * rather than −inf for silent bins) and their exp must fit float32.
     *
     * @param file         the .npy file
     * @param expectedBins bins per frame the caller's STFT uses (N/2 + 1 for FFT size N)
     * @return {@code [frames][bins]} magnitudes
     * @throws InputFileException if the file is not a supported .npy, the bin count differs, or a
     *                            value is NaN, infinite or too large to exponentiate
     */
    public static float[][] readLogMagnitude(Path file, int expectedBins) throws InputFileException {
        checkBins(expectedBins);
        return parse(InputFileException.readAllBytes(file), file.toString(), expectedBins, Mode.LOG_MAGNITUDE);
    }

    /**
     * {@link #readMagnitude(Path, int)} from a stream (read to its end, not closed).
     *
     * @param in           the .npy contents
     * @param name         how to name the source in error messages
     * @param expectedBins bins per frame the caller's STFT uses (N/2 + 1 for FFT size N)
     * @return {@code [frames][bins]} magnitudes
     * @throws InputFileException as {@link #readMagnitude(Path, int)}, or if reading the stream fails
     */
    public static float[][] readMagnitude(InputStream in, String name, int expectedBins) throws InputFileException {
        checkBins(expectedBins);
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new InputFileException(name, "read failed (" + e.getClass().getSimpleName() + ")", e);
        }
        return parse(bytes, name, expectedBins, Mode.MAGNITUDE);
    }

    private static void checkBins(int expectedBins) {
        if (expectedBins < 1) {
            throw new IllegalArgumentException("expected bins must be positive, got " + expectedBins);
        }
    }

    enum Mode {
        RAW,
        MAGNITUDE,
        LOG_MAGNITUDE
    }

    static float[][] parse(byte[] b, String name, int expectedBins, Mode mode) throws InputFileException {
        if (b.length == 0) {
            throw new InputFileException(name, "empty file (0 bytes)");
        }
        checkMagic(b, Math.min(b.length, MAGIC.length), name);
        if (b.length < 10) {
            throw new InputFileException(name, "truncated .npy preamble (" + b.length + " bytes)");
        }
        int major = b[6] & 0xFF;
        int headerStart = lengthFieldSize(major, b[7] & 0xFF, name) + 8;
        if (b.length < headerStart) {
            throw new InputFileException(name, "truncated .npy preamble (" + b.length + " bytes)");
        }
        long headerLen = headerLength(b, 8, headerStart - 8);
        if (headerStart + headerLen > b.length) {
            throw new InputFileException(
                    name,
                    "truncated .npy header (declares " + headerLen + " bytes, file holds " + (b.length - headerStart)
                            + ")");
        }
        Header h = header(
                new String(
                        b,
                        headerStart,
                        (int) headerLen,
                        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1),
                name,
                expectedBins);
        long frames = h.frames();
        long bins = h.bins();
        int itemSize = h.itemSize();
        if (frames > Integer.MAX_VALUE || frames * bins > Integer.MAX_VALUE - 8) {
            throw new InputFileException(name, "array of shape " + h.shapeText() + " is too large to read whole");
        }
        long dataStart = headerStart + headerLen;
        long needed = frames * bins * itemSize;
        long available = b.length - dataStart;
        if (available < needed) {
            throw new InputFileException(
                    name,
                    "truncated: shape " + h.shapeText() + " needs " + needed + " data bytes, file holds " + available);
        }
        if (available > needed) {
            throw new InputFileException(
                    name,
                    (available - needed) + " unexpected bytes after the " + h.shapeText()
                            + " array (corrupt file or wrong shape)");
        }

        ByteBuffer buf = ByteBuffer.wrap(b, (int) dataStart, (int) needed).order(ByteOrder.LITTLE_ENDIAN);
        float[][] out = new float[(int) frames][(int) bins];
        for (int t = 0; t < frames; t++) {
            float[] row = out[t];
            for (int k = 0; k < bins; k++) {
                double v = itemSize == 4 ? buf.getFloat() : buf.getDouble();
                row[k] = convert(v, mode, name, t, k);
            }
        }
        return out;
    }

    /** What the .npy header says about the array; the data follows it, row-major. */
    record Header(int itemSize, long frames, long bins, String shapeText) {}

    /** True if the first {@code n} bytes are the start of the .npy magic. */
    static boolean isMagic(byte[] b, int n) {
        for (int i = 0; i < Math.min(n, MAGIC.length); i++) {
            if (b[i] != MAGIC[i]) {
                return false;
            }
        }
        return n >= MAGIC.length;
    }

    static void checkMagic(byte[] b, int n, String name) throws InputFileException {
        if (!isMagic(b, n)) {
            throw new InputFileException(name, "not a .npy file (missing \\x93NUMPY magic)");
        }
    }

    /** Size of the header-length field after the 8-byte magic + version: 2 bytes (1.0) or 4 (2.0, 3.0). */
    static int lengthFieldSize(int major, int minor, String name) throws InputFileException {
        if (major == 1 && minor == 0) {
            return 2;
        }
        if ((major == 2 || major == 3) && minor == 0) {
            return 4;
        }
        throw new InputFileException(
                name, "unsupported .npy format version " + major + "." + minor + " (1.0, 2.0 and 3.0 are read)");
    }

    static long headerLength(byte[] b, int off, int size) {
        long len = 0;
        for (int i = 0; i < size; i++) {
            len |= (b[off + i] & 0xFFL) << (8 * i);
        }
        return len;
    }

    /** Parses and checks the header dictionary: '<f4' or '<f8', C order, 2-D, non-empty, the expected bins. */
    static Header header(String text, String name, int expectedBins) throws InputFileException {
        String header = text.trim();
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new InputFileException(
                    name, "malformed .npy header (needs 'descr', 'fortran_order' and 'shape'): " + abbreviate(header));
        }
        String descr = d.group(1);
        int itemSize;
        if ("<f4".equals(descr)) {
            itemSize = 4;
        } else if ("<f8".equals(descr)) {
            itemSize = 8;
        } else {
            throw new InputFileException(
                    name, "unsupported dtype '" + descr + "' (expected little-endian float32 '<f4' or float64 '<f8')");
        }
        if ("True".equals(f.group(1))) {
            throw new InputFileException(
                    name,
                    "fortran_order=True (column-major) is not supported;"
                            + " save a C-order array, e.g. np.save(path, np.ascontiguousarray(a))");
        }
        long[] shape = parseShape(s.group(1), name);
        String shapeText = shapeText(shape);
        if (shape.length != 2) {
            throw new InputFileException(name, "expected a 2-D array (frames, bins), got shape " + shapeText);
        }
        long frames = shape[0];
        long bins = shape[1];
        if (frames == 0 || bins == 0) {
            throw new InputFileException(name, "empty array, shape " + shapeText);
        }
        if (expectedBins > 0 && bins != expectedBins) {
            throw new InputFileException(
                    name,
                    "expected " + expectedBins + " bins per frame (FFT " + 2 * (expectedBins - 1) + "), got " + bins
                            + " (array shape " + shapeText + ")");
        }
        if (bins > 1 << 24 || frames > Long.MAX_VALUE / (bins * itemSize)) {
            throw new InputFileException(name, "array of shape " + shapeText + " is too large");
        }
        return new Header(itemSize, frames, bins, shapeText);
    }

    /** The largest magnitude |X| read: the library's bound, {@code PhaseInverter.MAX_MAGNITUDE}. */
    public static final double MAX_MAGNITUDE = PhaseInverter.MAX_MAGNITUDE;

    /** What a negative magnitude suggests, in the words of the command-line user. */
    static final String LOG_HINT = "a log-magnitude file? pass --log";

    /**
     * One stored value as a float magnitude (or raw value), with the checks of {@code mode}; the one
     * conversion both the whole-file and the streaming readers use, so they agree bit for bit.
     */
    static float convert(double v, Mode mode, String name, long t, int k) throws InputFileException {
        if (!Double.isFinite(v)) {
            throw new InputFileException(name, nonFinite(v) + " at frame " + t + ", bin " + k);
        }
        double m = v;
        if (mode == Mode.LOG_MAGNITUDE) {
            m = Math.exp(v);
            if (m > MAX_MAGNITUDE) {
                throw new InputFileException(
                        name,
                        "log-magnitude " + v + " at frame " + t + ", bin " + k
                                + " exceeds ln(" + MAX_MAGNITUDE + ") = 34.5, the bound on magnitudes"
                                + " (is the file really natural-log magnitude?)");
            }
        } else if (mode == Mode.MAGNITUDE) {
            if (v < 0) {
                throw new InputFileException(
                        name, "negative magnitude " + v + " at frame " + t + ", bin " + k + " (" + LOG_HINT + ")");
            }
            if (v > MAX_MAGNITUDE) {
                throw new InputFileException(
                        name,
                        "magnitude " + v + " at frame " + t + ", bin " + k
                                + " exceeds the bound " + MAX_MAGNITUDE + " on magnitudes (no audio spectrum "
                                + "comes near it; the inversion would overflow)");
            }
        }
        if (Math.abs(m) > Float.MAX_VALUE) {
            throw new InputFileException(
                    name, "value " + v + " at frame " + t + ", bin " + k + " exceeds the float32 range");
        }
        return (float) m;
    }

    private static long[] parseShape(String inner, String name) throws InputFileException {
        List<Long> dims = new ArrayList<>();
        for (String part : inner.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            // Python 2 era files may write long literals such as "513L".
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            try {
                long v = Long.parseLong(p);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new InputFileException(name, "malformed shape (" + inner.trim() + ") in .npy header");
            }
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
        }
        return shape;
    }

    private static String shapeText(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static String nonFinite(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 100 ? one.substring(0, 97) + "..." : one;
    }
}
