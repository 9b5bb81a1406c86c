package dev.phasegrad.audio;

import static dev.phasegrad.audio.TestWavs.ascii;
import static dev.phasegrad.audio.TestWavs.concat;
import static dev.phasegrad.audio.TestWavs.doubles;
import static dev.phasegrad.audio.TestWavs.floats;
import static dev.phasegrad.audio.TestWavs.hex;
import static dev.phasegrad.audio.TestWavs.le;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hex literals are complete files written by numpy 2.4.6 ({@code np.save}, or
 * {@code np.lib.format.write_array(..., version=(2, 0))}) for the arrays named beside them.
 */
class NpyTest {

    /** np.save of np.arange(6, dtype='<f4').reshape(2, 3) / 4 */
    static final String F4_2X3 =
            "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73"
                    + "652c20277368617065273a2028322c2033292c207d202020202020202020202020202020202020202020202020202020"
                    + "202020202020202020202020202020202020202020202020202020202020200a000000000000803e0000003f0000403f"
                    + "0000803f0000a03f";
    /** np.save of np.array([[0.5, -1.0], [2.0, 3.25]], dtype='<f8') */
    static final String F8_2X2 =
            "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73"
                    + "652c20277368617065273a2028322c2032292c207d202020202020202020202020202020202020202020202020202020"
                    + "202020202020202020202020202020202020202020202020202020202020200a000000000000e03f000000000000f0bf"
                    + "00000000000000400000000000000a40";
    /** version 2.0 of np.arange(4, dtype='<f4').reshape(2, 2) */
    static final String V2_F4_2X2 =
            "934e554d50590200740000007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a204661"
                    + "6c73652c20277368617065273a2028322c2032292c207d20202020202020202020202020202020202020202020202020"
                    + "202020202020202020202020202020202020202020202020202020202020200a000000000000803f0000004000004040";
    /** np.save of np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)) */
    static final String FORTRAN =
            "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2054727565"
                    + "2c20277368617065273a2028322c2033292c207d20202020202020202020202020202020202020202020202020202020"
                    + "202020202020202020202020202020202020202020202020202020202020200a00000000000040400000803f00008040"
                    + "000000400000a040";
    /** np.save of np.zeros(3, dtype='<f4') */
    static final String ONE_D =
            "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73"
                    + "652c20277368617065273a2028332c292c207d2020202020202020202020202020202020202020202020202020202020"
                    + "202020202020202020202020202020202020202020202020202020202020200a000000000000000000000000";
    /** np.save of np.zeros((1, 2), dtype='>f4') */
    static final String BIG_ENDIAN =
            "934e554d5059010076007b276465736372273a20273e6634272c2027666f727472616e5f6f72646572273a2046616c73"
                    + "652c20277368617065273a2028312c2032292c207d202020202020202020202020202020202020202020202020202020"
                    + "202020202020202020202020202020202020202020202020202020202020200a0000000000000000";
    /** np.save of np.zeros((1, 2), dtype='<i2') */
    static final String INT16 =
            "934e554d5059010076007b276465736372273a20273c6932272c2027666f727472616e5f6f72646572273a2046616c73"
                    + "652c20277368617065273a2028312c2032292c207d202020202020202020202020202020202020202020202020202020"
                    + "202020202020202020202020202020202020202020202020202020202020200a00000000";

    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** A '<f4' file with the given shape and raw little-endian payload. */
    private static byte[] f4(int frames, int bins, float... values) {
        return concat(Npy.header(frames, bins), floats(values));
    }

    // ---------------------------------------------------------------- format

    @Test
    void writerProducesNumpysExactBytes() throws IOException {
        Path p = dir.resolve("w.npy");
        Npy.write(p, new float[][] {{0f, 0.25f, 0.5f}, {0.75f, 1f, 1.25f}});
        assertThat(Files.readAllBytes(p)).containsExactly(hex(F4_2X3));
    }

    @Test
    void headerIsAlignedLikeNumpyForLargeShapes() {
        for (int frames : new int[] {1, 9, 10, 999, 12345, 1_000_000}) {
            byte[] h = Npy.header(frames, 513);
            assertThat(h.length % 64).isZero();
            assertThat(h[h.length - 1]).isEqualTo((byte) '\n');
            String text = new String(h, 10, h.length - 10, StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (" + frames + ", 513), }");
            // numpy reserves room for the first axis to grow to 21 digits
            assertThat(text.length())
                    .isGreaterThanOrEqualTo(
                            ("{'descr': '<f4', 'fortran_order': False, 'shape': (" + frames + ", 513), }").length()
                                    + 21
                                    - Integer.toString(frames).length()
                                    + 1);
        }
    }

    @Test
    void readsNumpyFloat32() throws IOException {
        float[][] a = Npy.read(file("a.npy", hex(F4_2X3)));
        assertThat(a).isDeepEqualTo(new float[][] {{0f, 0.25f, 0.5f}, {0.75f, 1f, 1.25f}});
    }

    @Test
    void readsNumpyFloat64AsFloat() throws IOException {
        float[][] a = Npy.read(file("d.npy", hex(F8_2X2)));
        assertThat(a).isDeepEqualTo(new float[][] {{0.5f, -1f}, {2f, 3.25f}});
    }

    @Test
    void readsVersion2() throws IOException {
        float[][] a = Npy.readMagnitude(file("v2.npy", hex(V2_F4_2X2)), 2);
        assertThat(a).isDeepEqualTo(new float[][] {{0f, 1f}, {2f, 3f}});
    }

    @Test
    void magnitudeRoundTrip() throws IOException {
        Random r = new Random(5);
        float[][] m = new float[37][513];
        for (float[] row : m) {
            for (int k = 0; k < row.length; k++) {
                row[k] = (float) Math.abs(r.nextGaussian());
            }
        }
        Path p = dir.resolve("mag.npy");
        Npy.write(p, m);
        assertThat(Npy.readMagnitude(p, 513)).isDeepEqualTo(m);
        try (var in = Files.newInputStream(p)) {
            assertThat(Npy.readMagnitude(in, "stream.npy", 513)).isDeepEqualTo(m);
        }
        assertThat(Files.size(p)).isEqualTo(128 + 37L * 513 * 4);
    }

    @Test
    void logMagnitudeIsExponentiated() throws IOException {
        float[][] logs = {{0f, -1f, (float) Math.log(2)}, {-20f, 3f, 0.5f}};
        Path p = dir.resolve("log.npy");
        Npy.write(p, logs);
        float[][] m = Npy.readLogMagnitude(p, 3);
        for (int t = 0; t < 2; t++) {
            for (int k = 0; k < 3; k++) {
                assertThat(m[t][k]).isEqualTo((float) Math.exp(logs[t][k]));
            }
        }
        // the same file read as plain magnitude is refused, with a hint
        assertThatThrownBy(() -> Npy.readMagnitude(p, 3))
                .hasMessage(p + ": negative magnitude -1.0 at frame 0, bin 1" + " (a log-magnitude file? pass --log)");
    }

    @Test
    void readLeavesNegativeValuesAlone() throws IOException {
        float[][] a = {{-1f, 2f}};
        Path p = dir.resolve("neg.npy");
        Npy.write(p, a);
        assertThat(Npy.read(p)).isDeepEqualTo(a);
    }

    // ---------------------------------------------------------------- errors

    private static void assertOneLine(Throwable e) {
        assertThat(e).isInstanceOf(InputFileException.class);
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void wrongBinCount() throws IOException {
        Path p = file("spec.npy", f4(2, 257, new float[2 * 257]));
        assertThatThrownBy(() -> Npy.readMagnitude(p, 513))
                .satisfies(NpyTest::assertOneLine)
                .hasMessage(p + ": expected 513 bins per frame (FFT 1024), got 257 (array shape (2, 257))");
    }

    @Test
    void nanAndInfNameFrameAndBin() throws IOException {
        float[] v = new float[20 * 50];
        v[12 * 50 + 40] = Float.NaN;
        v[15 * 50 + 3] = Float.POSITIVE_INFINITY;
        Path p = file("spec.npy", f4(20, 50, v));
        assertThatThrownBy(() -> Npy.readMagnitude(p, 50))
                .satisfies(NpyTest::assertOneLine)
                .hasMessage(p + ": NaN at frame 12, bin 40");
        v[12 * 50 + 40] = 0;
        Path q = file("spec2.npy", f4(20, 50, v));
        assertThatThrownBy(() -> Npy.read(q)).hasMessage(q + ": +Inf at frame 15, bin 3");
        Path d = file("spec3.npy", concat(f8Header(1, 2), doubles(0, Double.NEGATIVE_INFINITY)));
        assertThatThrownBy(() -> Npy.readLogMagnitude(d, 2)).hasMessage(d + ": -Inf at frame 0, bin 1");
    }

    /** Rewrites our '<f4' header as '<f8' (same length, so numpy's alignment still holds). */
    private static byte[] f8Header(int frames, int bins) {
        byte[] h = Npy.header(frames, bins);
        String s = new String(h, StandardCharsets.ISO_8859_1).replace("'<f4'", "'<f8'");
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void float64OutsideFloat32RangeIsRefused() throws IOException {
        Path p = file("big.npy", concat(f8Header(1, 2), doubles(1, 1e300)));
        assertThatThrownBy(() -> Npy.read(p))
                .hasMessage(p + ": value 1.0E300 at frame 0, bin 1 exceeds the float32 range");
    }

    @Test
    void logMagnitudeOverflow() throws IOException {
        Path p = file("hot.npy", f4(1, 2, 0f, 100f));
        assertThatThrownBy(() -> Npy.readLogMagnitude(p, 2))
                .satisfies(NpyTest::assertOneLine)
                .hasMessageContaining(": log-magnitude 100.0 at frame 0, bin 1 exceeds ln(1.0E15) = 34.5");
    }

    @Test
    void fortranOrderIsRejected() throws IOException {
        Path p = file("f.npy", hex(FORTRAN));
        assertThatThrownBy(() -> Npy.read(p))
                .satisfies(NpyTest::assertOneLine)
                .hasMessageStartingWith(p + ": fortran_order=True (column-major) is not supported");
    }

    @Test
    void oneDimensionalIsRejected() throws IOException {
        Path p = file("v.npy", hex(ONE_D));
        assertThatThrownBy(() -> Npy.read(p)).hasMessage(p + ": expected a 2-D array (frames, bins), got shape (3,)");
    }

    @Test
    void otherDtypesAreRejected() throws IOException {
        Path be = file("be.npy", hex(BIG_ENDIAN));
        assertThatThrownBy(() -> Npy.read(be))
                .hasMessage(be + ": unsupported dtype '>f4' (expected little-endian float32 '<f4' or float64 '<f8')");
        Path i2 = file("i2.npy", hex(INT16));
        assertThatThrownBy(() -> Npy.read(i2)).hasMessageContaining(": unsupported dtype '<i2'");
    }

    @Test
    void truncatedAndOverlongData() throws IOException {
        byte[] full = hex(F4_2X3);
        Path cut = file("cut.npy", Arrays.copyOf(full, full.length - 5));
        assertThatThrownBy(() -> Npy.read(cut))
                .hasMessage(cut + ": truncated: shape (2, 3) needs 24 data bytes, file holds 19");
        Path extra = file("extra.npy", concat(full, new byte[4]));
        assertThatThrownBy(() -> Npy.read(extra))
                .hasMessage(extra + ": 4 unexpected bytes after the (2, 3) array (corrupt file or wrong shape)");
        Path hdr = file("hdr.npy", Arrays.copyOf(full, 60));
        assertThatThrownBy(() -> Npy.read(hdr))
                .hasMessage(hdr + ": truncated .npy header (declares 118 bytes, file holds 50)");
        Path pre = file("pre.npy", Arrays.copyOf(full, 8));
        assertThatThrownBy(() -> Npy.read(pre)).hasMessage(pre + ": truncated .npy preamble (8 bytes)");
    }

    @Test
    void notNpyAtAll() throws IOException {
        Path txt = file("t.npy", ascii("frame,bin,value\n0,0,1\n"));
        assertThatThrownBy(() -> Npy.read(txt))
                .satisfies(NpyTest::assertOneLine)
                .hasMessage(txt + ": not a .npy file (missing \\x93NUMPY magic)");
        Path empty = file("e.npy", new byte[0]);
        assertThatThrownBy(() -> Npy.read(empty)).hasMessage(empty + ": empty file (0 bytes)");
        Path missing = dir.resolve("missing.npy");
        assertThatThrownBy(() -> Npy.read(missing)).hasMessage(missing + ": no such file");
    }

    @Test
    void unsupportedVersionAndMalformedHeader() throws IOException {
        byte[] v4 = hex(F4_2X3);
        v4[6] = 4;
        Path p = file("v4.npy", v4);
        assertThatThrownBy(() -> Npy.read(p))
                .hasMessage(p + ": unsupported .npy format version 4.0 (1.0, 2.0 and 3.0 are read)");
        byte[] noShape = concat(hex("934e554d50590100"), le(16, 2), ascii("{'descr': '<f4'}"));
        Path q = file("ns.npy", noShape);
        assertThatThrownBy(() -> Npy.read(q))
                .satisfies(NpyTest::assertOneLine)
                .hasMessageStartingWith(q + ": malformed .npy header (needs 'descr', 'fortran_order' and 'shape')");
    }

    @Test
    void emptyArrayIsRejected() throws IOException {
        Path p = file("z.npy", Npy.header(0, 513));
        assertThatThrownBy(() -> Npy.read(p)).hasMessage(p + ": empty array, shape (0, 513)");
    }

    @Test
    void writerRejectsBadArraysAndLeavesNoFile() throws IOException {
        Path p = dir.resolve("bad.npy");
        assertThatThrownBy(() -> Npy.write(p, new float[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("frame 1 has 1 bins, frame 0 has 2");
        assertThatThrownBy(() -> Npy.write(p, new float[][] {{1, Float.NaN}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NaN at frame 0, bin 1");
        assertThatThrownBy(() -> Npy.write(p, new float[0][]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no frames to write");
        assertThat(listing()).isEmpty();
    }

    @Test
    void everyTruncationAndHeaderCorruptionEndsInDataOrAOneLineError() {
        byte[] full = hex(F8_2X2);
        int clean = 0;
        for (int cut = 0; cut <= full.length; cut++) {
            clean += parsesOrExplains(Arrays.copyOf(full, cut)) ? 1 : 0;
        }
        assertThat(clean).isEqualTo(1); // only the complete file
        Random r = new Random(9);
        for (int iter = 0; iter < 3000; iter++) {
            byte[] b = full.clone();
            b[r.nextInt(128)] = (byte) r.nextInt(256);
            parsesOrExplains(b);
        }
    }

    private static boolean parsesOrExplains(byte[] b) {
        try {
            float[][] a = Npy.parse(b, "fuzz.npy", -1, Npy.Mode.RAW);
            assertThat(a.length).isPositive();
            return true;
        } catch (InputFileException e) {
            assertThat(e.getMessage()).startsWith("fuzz.npy: ").doesNotContain("\n");
            return false;
        }
    }

    @Test
    void inputStreamErrorsUseTheGivenName() {
        assertThatThrownBy(() -> Npy.readMagnitude(new ByteArrayInputStream(hex(F4_2X3)), "mem.npy", 513))
                .hasMessage("mem.npy: expected 513 bins per frame (FFT 1024), got 3 (array shape (2, 3))");
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).collect(Collectors.toList());
        }
    }
}
