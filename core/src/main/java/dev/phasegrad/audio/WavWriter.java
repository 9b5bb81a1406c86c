package dev.phasegrad.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes mono WAV files: 16-bit PCM or 32-bit IEEE float, little-endian.
 *
 * <p>Writes are atomic: the file is written to a temporary file in the target's directory and
 * then renamed over the target, so a failure (bad sample, full disk) never leaves a half-written
 * output and keeps any earlier file of that name intact.
 *
 * <p>16-bit output maps x to round(x · 32768) and clips to [−32768, 32767], i.e. the
 * representable range is [−1, 1 − 2⁻¹⁵]; the number of clipped samples is returned so callers can
 * warn instead of losing peaks silently. NaN or infinite samples are rejected with
 * {@link IllegalArgumentException} naming the first bad index; the target is then left untouched.
 *
 * <p>Stateless and thread-safe.
 */
public final class WavWriter {
    private static final int CHUNK = 8192;

    private WavWriter() {}

    /**
     * Writes 16-bit PCM.
     *
     * @param file       target path; its directory must exist
     * @param samples    mono samples, nominally in [−1, 1)
     * @param sampleRate sample rate in Hz, ≥ 1
     * @return number of samples that were clipped (outside the 16-bit range after rounding)
     * @throws IllegalArgumentException on a NaN/infinite sample or a bad rate
     * @throws IOException              if the file cannot be written (the target is then unchanged)
     */
    public static int writePcm16(Path file, float[] samples, int sampleRate) throws IOException {
        return writePcm16(file, samples, sampleRate, true);
    }

    /**
     * {@link #writePcm16(Path, float[], int)}; with {@code replace} false an existing file is never
     * overwritten, not even one created while this call runs.
     *
     * @param file       target path; its directory must exist
     * @param samples    mono samples, must be finite
     * @param sampleRate sample rate in Hz, ≥ 1
     * @param replace    whether an existing file may be replaced
     * @return the number of samples that were clipped (outside the 16-bit range after rounding)
     * @throws java.nio.file.FileAlreadyExistsException if {@code replace} is false and the file exists
     * @throws IOException as {@link #writePcm16(Path, float[], int)}
     */
    public static int writePcm16(Path file, float[] samples, int sampleRate, boolean replace) throws IOException {
        check(file, samples, sampleRate, 2);
        int[] clipped = new int[1];
        AtomicFiles.write(file, replace, out -> {
            writeHeader(out, 1, 16, sampleRate, samples.length);
            byte[] buf = new byte[CHUNK * 2];
            for (int start = 0; start < samples.length; start += CHUNK) {
                int end = Math.min(samples.length, start + CHUNK);
                int k = 0;
                for (int i = start; i < end; i++) {
                    float x = samples[i];
                    requireFinite(x, i);
                    long q = Math.round(x * 32768.0);
                    if (q > 32767) {
                        q = 32767;
                        clipped[0]++;
                    } else if (q < -32768) {
                        q = -32768;
                        clipped[0]++;
                    }
                    buf[k++] = (byte) q;
                    buf[k++] = (byte) (q >> 8);
                }
                out.write(buf, 0, k);
            }
        });
        return clipped[0];
    }

    /**
     * {@link #writePcm16(Path, float[], int)} for an {@link Audio}.
     *
     * @param file  target path; its directory must exist
     * @param audio the samples and their rate
     * @return the number of samples that were clipped (outside the 16-bit range after rounding)
     * @throws IOException as {@link #writePcm16(Path, float[], int)}
     */
    public static int writePcm16(Path file, Audio audio) throws IOException {
        return writePcm16(file, audio.samples(), audio.sampleRate());
    }

    /**
     * Writes 32-bit IEEE float samples unchanged (no clipping).
     *
     * @param file       target path; its directory must exist
     * @param samples    mono samples, must be finite
     * @param sampleRate sample rate in Hz, ≥ 1
     * @throws IllegalArgumentException on a NaN/infinite sample or a bad rate
     * @throws IOException              if the file cannot be written (the target is then unchanged)
     */
    public static void writeFloat32(Path file, float[] samples, int sampleRate) throws IOException {
        writeFloat32(file, samples, sampleRate, true);
    }

    /**
     * {@link #writeFloat32(Path, float[], int)}; with {@code replace} false an existing file is
     * never overwritten, not even one created while this call runs.
     *
     * @param file       target path; its directory must exist
     * @param samples    mono samples, must be finite
     * @param sampleRate sample rate in Hz, ≥ 1
     * @param replace    whether an existing file may be replaced
     * @throws java.nio.file.FileAlreadyExistsException if {@code replace} is false and the file exists
     * @throws IOException as {@link #writeFloat32(Path, float[], int)}
     */
    public static void writeFloat32(Path file, float[] samples, int sampleRate, boolean replace) throws IOException {
        check(file, samples, sampleRate, 4);
        AtomicFiles.write(file, replace, out -> {
            writeHeader(out, 3, 32, sampleRate, samples.length);
            byte[] buf = new byte[CHUNK * 4];
            for (int start = 0; start < samples.length; start += CHUNK) {
                int end = Math.min(samples.length, start + CHUNK);
                int k = 0;
                for (int i = start; i < end; i++) {
                    float x = samples[i];
                    requireFinite(x, i);
                    int v = Float.floatToRawIntBits(x);
                    buf[k++] = (byte) v;
                    buf[k++] = (byte) (v >> 8);
                    buf[k++] = (byte) (v >> 16);
                    buf[k++] = (byte) (v >> 24);
                }
                out.write(buf, 0, k);
            }
        });
    }

    /**
     * {@link #writeFloat32(Path, float[], int)} for an {@link Audio}.
     *
     * @param file  target path; its directory must exist
     * @param audio the samples and their rate
     * @throws IOException as {@link #writeFloat32(Path, float[], int)}
     */
    public static void writeFloat32(Path file, Audio audio) throws IOException {
        writeFloat32(file, audio.samples(), audio.sampleRate());
    }

    private static void check(Path file, float[] samples, int sampleRate, int bytesPerSample) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(samples, "samples");
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        if ((long) samples.length * bytesPerSample > 0xFFFFFFFFL - 64) {
            throw new IllegalArgumentException(samples.length + " samples do not fit in a WAV file (4 GiB limit)");
        }
    }

    private static void requireFinite(float x, int i) {
        if (!Float.isFinite(x)) {
            throw new IllegalArgumentException(
                    (Float.isNaN(x) ? "NaN" : "infinite") + " sample at index " + i + "; refusing to write");
        }
    }

    /**
     * The header of a mono WAV file of {@code samples} samples, for writers that stream the data
     * themselves: 16-bit PCM (44 bytes) or, with {@code float32}, IEEE float (58 bytes). With
     * {@code samples} &lt; 0 the sizes are the streaming convention for a length not yet known
     * (0xFFFFFFFF: "until end of file", read so by sox, ffmpeg and aplay); a writer to a seekable
     * file rewrites the header with the final count, which has the same length.
     *
     * @param float32    IEEE float samples instead of 16-bit PCM
     * @param sampleRate sample rate in Hz
     * @param samples    the number of samples, or negative when not yet known
     * @return the header bytes
     * @throws IllegalArgumentException if the rate is not positive or the data would exceed 4 GiB
     */
    public static byte[] header(boolean float32, int sampleRate, long samples) {
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        int bytesPerSample = float32 ? 4 : 2;
        if (samples * bytesPerSample > 0xFFFFFFFFL - 64) {
            throw new IllegalArgumentException(samples + " samples do not fit in a WAV file (4 GiB limit)");
        }
        return header(float32 ? 3 : 1, float32 ? 32 : 16, sampleRate, samples);
    }

    private static void writeHeader(OutputStream out, int tag, int bits, int rate, int frames) throws IOException {
        out.write(header(tag, bits, rate, frames));
    }

    /**
     * PCM gets the classic 44-byte header; float gets WAVEFORMATEX (cbSize 0) plus the 'fact'
     * chunk the RIFF spec requires for non-PCM data, 58 bytes in all.
     */
    private static byte[] header(int tag, int bits, int rate, long frames) {
        boolean pcm = tag == 1;
        boolean unknown = frames < 0;
        int blockAlign = bits / 8;
        long dataBytes = frames * blockAlign;
        int fmtSize = pcm ? 16 : 18;
        int headerSize = 12 + 8 + fmtSize + (pcm ? 0 : 12) + 8;
        byte[] h = new byte[headerSize];
        put(h, 0, "RIFF");
        putInt(h, 4, unknown ? -1 : (int) (headerSize - 8 + dataBytes));
        put(h, 8, "WAVE");
        put(h, 12, "fmt ");
        putInt(h, 16, fmtSize);
        putShort(h, 20, tag);
        putShort(h, 22, 1);
        putInt(h, 24, rate);
        putInt(h, 28, (int) ((long) rate * blockAlign));
        putShort(h, 32, blockAlign);
        putShort(h, 34, bits);
        int p = 36;
        if (!pcm) {
            putShort(h, p, 0); // cbSize
            p += 2;
            put(h, p, "fact");
            putInt(h, p + 4, 4);
            putInt(h, p + 8, unknown ? -1 : (int) frames);
            p += 12;
        }
        put(h, p, "data");
        putInt(h, p + 4, unknown ? -1 : (int) dataBytes);
        return h;
    }

    private static void put(byte[] b, int off, String s) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) s.charAt(i);
        }
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }
}
