package dev.phasegrad.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Random and damaged inputs for the WAV and .npy readers and {@link MagnitudeFrames}: every outcome is
 * samples or magnitudes that are finite (and within bounds), or an {@link InputFileException} /
 * IllegalArgumentException with a one-line message; never another exception, an Error or NaN. The
 * block-wise readers agree with the whole-file ones.
 */
class ReaderFuzzTest {
    private static final double[] VALUES = {
        0,
        -0.0,
        1,
        -1,
        0.5,
        1e-45,
        Float.MIN_NORMAL,
        4.9e-324,
        1e15,
        1.0001e15,
        Float.MAX_VALUE,
        -Float.MAX_VALUE,
        1e300,
        -1e300,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        34.5,
        35,
        -1e-30,
        100
    };

    // ------------------------------------------------------------------ WAV

    /** A RIFF/WAVE file with random format fields, chunks, sizes and content, often damaged. */
    static byte[] randomWav(Random r) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] tags = {1, 1, 1, 3, 3, 0xFFFE, 2, 6, 7, 0x55, r.nextInt(65536)};
        int tag = tags[r.nextInt(tags.length)];
        int channels = r.nextInt(10) < 8 ? 1 + r.nextInt(2) : r.nextInt(9);
        int[] bitsChoice = {8, 16, 24, 32, 64, 12, 0, 7, 20};
        int bits = bitsChoice[r.nextInt(bitsChoice.length)];
        long rate =
                r.nextInt(10) < 8 ? new int[] {8000, 16000, 22050, 44100}[r.nextInt(4)] : r.nextInt(Integer.MAX_VALUE);
        int blockAlign = r.nextInt(10) < 8 ? channels * ((bits + 7) / 8) : r.nextInt(20);
        if (r.nextInt(8) == 0) {
            writeChunk(body, "LIST", randomBytes(r, r.nextInt(40)));
        }
        ByteBuffer fmt = ByteBuffer.allocate(tag == 0xFFFE ? 40 : 16).order(ByteOrder.LITTLE_ENDIAN);
        fmt.putShort((short) tag)
                .putShort((short) channels)
                .putInt((int) rate)
                .putInt((int) (rate * blockAlign))
                .putShort((short) blockAlign)
                .putShort((short) bits);
        if (tag == 0xFFFE) {
            fmt.putShort((short) 22).putShort((short) bits).putInt(0).putShort((short) (r.nextBoolean() ? 1 : 3));
        }
        byte[] fmtBytes = fmt.array();
        if (r.nextInt(10) == 0) {
            fmtBytes = Arrays.copyOf(fmtBytes, r.nextInt(fmtBytes.length));
        }
        if (r.nextInt(20) != 0) {
            writeChunk(body, "fmt ", fmtBytes);
        }
        if (r.nextInt(6) == 0) {
            writeChunk(body, "JUNK", randomBytes(r, r.nextInt(9)));
        }
        byte[] data = new byte[r.nextInt(10) == 0 ? 0 : r.nextInt(3000)];
        if (tag == 3 && (bits == 32 || bits == 64) && r.nextBoolean()) {
            ByteBuffer d = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i + bits / 8 <= data.length; i += bits / 8) {
                double v = r.nextInt(50) == 0 ? VALUES[r.nextInt(VALUES.length)] : r.nextGaussian() * 0.3;
                if (bits == 32) {
                    d.putFloat(i, (float) v);
                } else {
                    d.putDouble(i, v);
                }
            }
        } else {
            r.nextBytes(data);
        }
        long declared = switch (r.nextInt(8)) {
            case 0 -> 0xFFFFFFFFL;
            case 1 -> data.length + 1 + r.nextInt(1000);
            case 2 -> 0;
            default -> data.length;
        };
        writeChunk(body, "data", data, declared);
        if (r.nextInt(8) == 0) {
            writeChunk(body, "LIST", randomBytes(r, r.nextInt(30)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(le32(r.nextInt(10) == 0 ? r.nextInt() : 4 + body.size()));
        out.writeBytes("WAVE".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body.toByteArray());
        byte[] b = out.toByteArray();
        if (r.nextInt(5) == 0) {
            b = Arrays.copyOf(b, r.nextInt(b.length + 1));
        }
        for (int flips = r.nextInt(4) == 0 ? 1 + r.nextInt(4) : 0; flips > 0 && b.length > 0; flips--) {
            b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static void writeChunk(ByteArrayOutputStream out, String id, byte[] body) {
        writeChunk(out, id, body, body.length);
    }

    private static void writeChunk(ByteArrayOutputStream out, String id, byte[] body, long declared) {
        out.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(le32((int) declared));
        out.writeBytes(body);
        if ((body.length & 1) == 1) {
            out.write(0);
        }
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** What a reader did: samples, or the one-line message of a documented exception. */
    record Outcome(float[] samples, String error) {}

    static Outcome guard(ThrowingSupplier<float[]> read) {
        try {
            float[] x = read.get();
            for (float v : x) {
                assertThat(Float.isFinite(v)).as("sample %s", v).isTrue();
            }
            return new Outcome(x, null);
        } catch (InputFileException | IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            return new Outcome(null, e.getMessage());
        } catch (Throwable t) {
            throw new AssertionError("undocumented " + t, t);
        }
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    /** Reads a pipe in random blocks, as a command reading standard input does. */
    static float[] streamed(byte[] b, Random r) throws Exception {
        try (AudioStream s = AudioStream.open(new ByteArrayInputStream(b), "pipe")) {
            float[] out = new float[AudioStream.BLOCK];
            List<float[]> parts = new ArrayList<>();
            int total = 0;
            for (int n; (n = s.read(out, 0, 1 + r.nextInt(AudioStream.BLOCK))) > 0; ) {
                parts.add(Arrays.copyOf(out, n));
                total += n;
            }
            float[] all = new float[total];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            return all;
        }
    }

    @Property(tries = 400)
    void wavReadersGiveFiniteSamplesOrADocumentedOneLineError(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] b = randomWav(r);
        Outcome whole = guard(() -> Audio.decode(b, "fuzz.wav").samples());
        Outcome pipe = guard(() -> streamed(b, r));
        if (whole.samples() != null) {
            assertThat(pipe.samples())
                    .as(pipe.error() == null ? "" : pipe.error())
                    .isEqualTo(whole.samples());
        } else {
            // a pipe's length is unknown, so truncation shows at the end, but it shows
            assertThat(pipe.error()).as("whole: " + whole.error()).isNotNull();
        }
    }

    /** 16-bit PCM, 6 channels (12-byte frames), whose 'data' chunk declares {@code declared} bytes. */
    static byte[] wavDeclaring(int declared, int held) {
        ByteBuffer b = ByteBuffer.allocate(44 + held).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + declared);
        b.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
        b.putShort((short) 1).putShort((short) 6).putInt(16000).putInt(16000 * 12);
        b.putShort((short) 12).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(declared);
        for (int i = 0; i < held / 2; i++) {
            b.putShort((short) (i * 37));
        }
        return b.array();
    }

    @Test
    void aDeclaredPartialLastFrameThatIsMissingIsNotTruncationForEitherReader() throws Exception {
        // 2010 bytes declared = 167 whole frames and 6 bytes of a 168th; the file holds the 167 frames
        byte[] whole = wavDeclaring(2010, 2004);
        float[] decoded = Audio.decode(whole, "part.wav").samples();
        assertThat(decoded).hasSize(167);
        assertThat(streamed(whole, new Random(1))).isEqualTo(decoded);
        // one whole frame missing is truncation for both
        byte[] cut = wavDeclaring(2010, 1992);
        assertThat(guard(() -> Audio.decode(cut, "cut.wav").samples()).error()).contains("truncated");
        assertThat(guard(() -> streamed(cut, new Random(1))).error()).contains("truncated");
    }

    // ------------------------------------------------------------------ .npy

    /** An .npy with random version, header dictionary, shape, dtype and values, often damaged. */
    static byte[] randomNpy(Random r, int bins) {
        String[] descrs = {"<f4", "<f4", "<f8", "<f8", ">f4", "<i2", "|u1", "<f2", ""};
        String descr = descrs[r.nextInt(descrs.length)];
        long frames = r.nextInt(10) == 0 ? r.nextLong() >>> r.nextInt(64) : r.nextInt(6);
        long cols = r.nextInt(4) == 0 ? r.nextInt(bins + 3) : bins;
        String shape = switch (r.nextInt(10)) {
            case 0 -> "(" + frames + ",)";
            case 1 -> "(" + frames + ", " + cols + ", 2)";
            case 2 -> "()";
            case 3 -> "(" + frames + "L, " + cols + "L)";
            case 4 -> "(-1, " + cols + ")";
            default -> "(" + frames + ", " + cols + ")";
        };
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (r.nextInt(10) == 0 ? "True" : "False")
                + ", 'shape': " + shape + ", }";
        if (r.nextInt(15) == 0) {
            dict = dict.substring(0, r.nextInt(dict.length()));
        }
        dict += " ".repeat(r.nextInt(20)) + "\n";
        byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
        int major = r.nextInt(8) == 0 ? r.nextInt(5) : 1 + r.nextInt(3);
        int minor = r.nextInt(10) == 0 ? 1 : 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, (byte) minor});
        int declared = r.nextInt(12) == 0 ? r.nextInt(1 << 16) : text.length;
        if (major == 1) {
            out.write(declared);
            out.write(declared >> 8);
        } else {
            out.writeBytes(le32(declared));
        }
        out.writeBytes(text);
        int item = descr.endsWith("8") ? 8 : 4;
        long count = Math.min(frames * Math.max(cols, 1), 4000);
        if (r.nextInt(8) == 0) {
            count += r.nextInt(5) - 2;
        }
        ByteBuffer d = ByteBuffer.allocate((int) Math.max(0, count) * item).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < Math.max(0, count); i++) {
            double v = r.nextInt(4) == 0 ? VALUES[r.nextInt(VALUES.length)] : Math.abs(r.nextGaussian());
            if (item == 4) {
                d.putFloat((float) v);
            } else {
                d.putDouble(v);
            }
        }
        out.writeBytes(d.array());
        byte[] b = out.toByteArray();
        if (r.nextInt(6) == 0) {
            b = Arrays.copyOf(b, r.nextInt(b.length + 1));
        }
        for (int flips = r.nextInt(5) == 0 ? 1 + r.nextInt(3) : 0; flips > 0 && b.length > 0; flips--) {
            b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
    }

    private static float[] flat(float[][] m) {
        int n = 0;
        for (float[] row : m) {
            n += row.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] row : m) {
            System.arraycopy(row, 0, out, at, row.length);
            at += row.length;
        }
        return out;
    }

    /** Every frame of a {@link MagnitudeFrames}, flattened. */
    private static float[] frames(MagnitudeFrames f, int bins) throws Exception {
        List<float[]> rows = new ArrayList<>();
        float[] row = new float[bins];
        while (f.next(row)) {
            rows.add(row.clone());
        }
        return flat(rows.toArray(float[][]::new));
    }

    private static void assertMagnitudes(Outcome o) {
        if (o.samples() != null) {
            for (float v : o.samples()) {
                // -0.0 is a magnitude of zero
                assertThat(v >= 0 && v <= Npy.MAX_MAGNITUDE)
                        .as("magnitude %s", v)
                        .isTrue();
            }
        }
    }

    @Property(tries = 500)
    void npyReadersGiveFiniteBoundedValuesOrADocumentedOneLineError(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        int bins = 1 + r.nextInt(9);
        byte[] b = randomNpy(r, bins);
        Outcome raw = guard(() -> flat(Npy.parse(b, "fuzz.npy", -1, Npy.Mode.RAW)));
        Outcome magnitude = guard(() -> flat(Npy.parse(b, "fuzz.npy", bins, Npy.Mode.MAGNITUDE)));
        Outcome log = guard(() -> flat(Npy.parse(b, "fuzz.npy", bins, Npy.Mode.LOG_MAGNITUDE)));
        assertMagnitudes(magnitude);
        assertMagnitudes(log);
        boolean asLog = r.nextBoolean();
        Outcome streamed =
                guard(() -> frames(MagnitudeFrames.open(new ByteArrayInputStream(b), "pipe", bins, asLog), bins));
        assertMagnitudes(streamed);
        Outcome expected = asLog ? log : magnitude;
        if (expected.samples() != null) {
            assertThat(streamed.samples()).as(String.valueOf(streamed.error())).isEqualTo(expected.samples());
        }
        if (r.nextInt(5) == 0) {
            Path file = Files.createTempFile("fuzz", ".npy");
            try {
                Files.write(file, b);
                Outcome fromFile = guard(() -> {
                    try (MagnitudeFrames f = MagnitudeFrames.open(file, bins, asLog)) {
                        return frames(f, bins);
                    }
                });
                assertThat(fromFile.samples() == null)
                        .as(fromFile.error() + " / " + expected.error())
                        .isEqualTo(expected.samples() == null);
                if (expected.samples() != null) {
                    assertThat(fromFile.samples()).isEqualTo(expected.samples());
                }
            } finally {
                Files.delete(file);
            }
        }
        if (raw.samples() != null) {
            for (float v : raw.samples()) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }

    @Property(tries = 300)
    void rawFloatFramesInAnyChunkingGiveBoundedMagnitudesOrOneLineErrors(@ForAll long seed) {
        Random r = new Random(seed);
        int bins = 1 + r.nextInt(9);
        int n = r.nextInt(10) * bins * 4 + (r.nextInt(4) == 0 ? r.nextInt(4 * bins) : 0);
        ByteBuffer d = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= n; i += 4) {
            d.putFloat(i, (float) (r.nextInt(6) == 0 ? VALUES[r.nextInt(VALUES.length)] : Math.abs(r.nextGaussian())));
        }
        byte[] b = d.array();
        // a pipe that delivers a few bytes at a time
        InputStream trickle = new InputStream() {
            private int at;

            @Override
            public int read() {
                return at < b.length ? b[at++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] buf, int off, int len) {
                if (at >= b.length) {
                    return -1;
                }
                int k = Math.min(len, Math.min(b.length - at, 1 + r.nextInt(7)));
                System.arraycopy(b, at, buf, off, k);
                at += k;
                return k;
            }
        };
        boolean asLog = r.nextBoolean();
        Outcome o = guard(() -> frames(MagnitudeFrames.open(trickle, "pipe", bins, asLog), bins));
        assertMagnitudes(o);
        if (o.samples() != null) {
            assertThat(o.samples().length).isEqualTo(n / (4 * bins) * bins);
        }
    }
}
