package dev.phasegrad.audio;

import static dev.phasegrad.audio.TestWavs.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MagnitudeFramesTest {
    @TempDir
    Path dir;

    private static float[][] random(int frames, int bins, long seed) {
        Random r = new Random(seed);
        float[][] m = new float[frames][bins];
        for (float[] row : m) {
            for (int k = 0; k < bins; k++) {
                row[k] = r.nextFloat() * 3;
            }
        }
        return m;
    }

    private static byte[] raw(float[][] m) {
        ByteBuffer b = ByteBuffer.allocate(m.length * m[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : m) {
            for (float v : row) {
                b.putFloat(v);
            }
        }
        return b.array();
    }

    private static float[][] readAll(InputStream in, int bins, boolean log) throws Exception {
        MagnitudeFrames f = MagnitudeFrames.open(in, "stdin", bins, log);
        float[] frame = new float[bins];
        List<float[]> out = new ArrayList<>();
        while (f.next(frame)) {
            out.add(frame.clone());
        }
        assertThat(f.frames()).isEqualTo(out.size());
        return out.toArray(new float[0][]);
    }

    @Test
    void npyStreamGivesTheSameMagnitudesAsTheWholeFileReader() throws Exception {
        float[][] m = random(7, 9, 1);
        Path file = dir.resolve("m.npy");
        Npy.write(file, m);
        byte[] bytes = Files.readAllBytes(file);
        for (boolean log : new boolean[] {false, true}) {
            float[][] whole = log ? Npy.readLogMagnitude(file, 9) : Npy.readMagnitude(file, 9);
            assertThat(readAll(new ByteArrayInputStream(bytes), 9, log)).isDeepEqualTo(whole);
        }
        MagnitudeFrames f = MagnitudeFrames.open(new ByteArrayInputStream(bytes), "stdin", 9, false);
        assertThat(f.isNpy()).isTrue();
        assertThat(f.declaredFrames()).isEqualTo(7);
    }

    @Test
    void float64NpyIsRead() throws Exception {
        float[][] got = readAll(new ByteArrayInputStream(hex(NpyTest.F8_2X2)), 2, true);
        assertThat(got[0][0]).isEqualTo((float) Math.exp(0.5));
        assertThat(got[1][1]).isEqualTo((float) Math.exp(3.25));
    }

    @Test
    void rawFloat32UntilEndOfInput() throws Exception {
        float[][] m = random(5, 4, 2);
        MagnitudeFrames f = MagnitudeFrames.open(new ByteArrayInputStream(raw(m)), "stdin", 4, false);
        assertThat(f.isNpy()).isFalse();
        assertThat(f.declaredFrames()).isEqualTo(-1);
        assertThat(readAll(new ByteArrayInputStream(raw(m)), 4, false)).isDeepEqualTo(m);
        assertThat(readAll(new ByteArrayInputStream(new byte[0]), 4, false)).isEmpty();
    }

    @Test
    void partialTrailingFrameNamesItsIndex() {
        byte[] b = raw(random(3, 4, 3));
        byte[] cut = Arrays.copyOf(b, b.length - 5);
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(cut), 4, false))
                .isInstanceOf(InputFileException.class)
                .hasMessage("stdin: partial frame 2 at end of input: 11 of 16 bytes (4 float32 values per frame)");
    }

    @Test
    void badValuesNameFrameAndBin() {
        float[][] m = random(3, 4, 4);
        m[2][1] = Float.NaN;
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(raw(m)), 4, false))
                .hasMessage("stdin: NaN at frame 2, bin 1");
        float[][] neg = random(3, 4, 5);
        neg[1][3] = -0.5f;
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(raw(neg)), 4, false))
                .hasMessageStartingWith("stdin: negative magnitude -0.5 at frame 1, bin 3");
        assertThat(catchLog(neg)).isNotNull();
    }

    private static Object catchLog(float[][] neg) {
        try {
            return readAll(new ByteArrayInputStream(raw(neg)), 4, true);
        } catch (Exception e) {
            throw new AssertionError("negative values are fine as log-magnitudes", e);
        }
    }

    @Test
    void npyStreamThatEndsEarlyRunsOnOrDisagreesOnBins() throws Exception {
        Path file = dir.resolve("m.npy");
        Npy.write(file, random(4, 5, 6));
        byte[] b = Files.readAllBytes(file);
        byte[] early = Arrays.copyOf(b, b.length - 5 * 4);
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(early), 5, false))
                .hasMessage("stdin: .npy stream ended after 3 of the 4 frames its shape (4, 5) declares");
        byte[] partial = Arrays.copyOf(b, b.length - 3);
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(partial), 5, false))
                .hasMessageStartingWith("stdin: partial frame 3 at end of input: 17 of 20 bytes");
        byte[] longer = Arrays.copyOf(b, b.length + 4);
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(longer), 5, false))
                .hasMessageContaining("unexpected bytes after the (4, 5) array");
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(b), 7, false))
                .hasMessageContaining("expected 7 bins per frame", "got 5");
    }
}
