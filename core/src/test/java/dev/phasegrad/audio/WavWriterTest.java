package dev.phasegrad.audio;

import static dev.phasegrad.audio.TestWavs.ascii;
import static dev.phasegrad.audio.TestWavs.concat;
import static dev.phasegrad.audio.TestWavs.floats;
import static dev.phasegrad.audio.TestWavs.ints;
import static dev.phasegrad.audio.TestWavs.le;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavWriterTest {

    @TempDir
    Path dir;

    private List<String> dirListing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void pcm16BytesAreExactlyTheClassicHeaderPlusRoundedSamples() throws IOException {
        Path p = dir.resolve("a.wav");
        int clipped = WavWriter.writePcm16(p, new float[] {0f, 0.5f, -0.25f, 1e-5f}, 16000);
        assertThat(clipped).isZero();
        byte[] expected = concat(
                ascii("RIFF"),
                le(36 + 8, 4),
                ascii("WAVE"),
                ascii("fmt "),
                le(16, 4),
                le(1, 2),
                le(1, 2),
                le(16000, 4),
                le(32000, 4),
                le(2, 2),
                le(16, 2),
                ascii("data"),
                le(8, 4),
                ints(2, 0, 16384, -8192, 0));
        assertThat(Files.readAllBytes(p)).containsExactly(expected);
    }

    @Test
    void float32BytesCarryWaveFormatExAndFactChunk() throws IOException {
        Path p = dir.resolve("f.wav");
        WavWriter.writeFloat32(p, new float[] {0.5f, -3f}, 22050);
        byte[] expected = concat(
                ascii("RIFF"),
                le(50 + 8, 4),
                ascii("WAVE"),
                ascii("fmt "),
                le(18, 4),
                le(3, 2),
                le(1, 2),
                le(22050, 4),
                le(88200, 4),
                le(4, 2),
                le(32, 2),
                le(0, 2),
                ascii("fact"),
                le(4, 4),
                le(2, 4),
                ascii("data"),
                le(8, 4),
                floats(0.5f, -3f));
        assertThat(Files.readAllBytes(p)).containsExactly(expected);
    }

    @Test
    void pcm16RoundTripQuantisesToTheNearestStep() throws IOException {
        Random r = new Random(7);
        float[] x = new float[20000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.3 * r.nextGaussian());
            x[i] = Math.max(-0.99f, Math.min(0.99f, x[i]));
        }
        Path p = dir.resolve("rt16.wav");
        assertThat(WavWriter.writePcm16(p, x, 44100)).isZero();
        Audio a = Audio.read(p);
        assertThat(a.sampleRate()).isEqualTo(44100);
        assertThat(a.length()).isEqualTo(x.length);
        for (int i = 0; i < x.length; i++) {
            assertThat(a.samples()[i]).isEqualTo(Math.round(x[i] * 32768.0) / 32768f);
        }
    }

    @Test
    void pcm16ClippingIsCountedNotSilent() throws IOException {
        float[] x = {1.0f, 1.5f, -1.0f, -1.2f, 0.99998f, 32767.4f / 32768f, -32768.6f / 32768f};
        Path p = dir.resolve("clip.wav");
        // 1.0 and 1.5 above, -1.2 below; -1.0 is representable; 0.99998·32768 = 32767.3 rounds in range;
        // -32768.6 rounds to -32769, out of range.
        assertThat(WavWriter.writePcm16(p, x, 8000)).isEqualTo(4);
        float[] back = Audio.read(p).samples();
        float top = 32767 / 32768f;
        assertThat(back).containsExactly(top, top, -1f, -1f, top, top, -1f);
    }

    @Test
    void float32RoundTripIsBitExactIncludingValuesBeyondFullScale() throws IOException {
        Random r = new Random(11);
        float[] x = new float[10000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextGaussian());
        }
        x[0] = Float.MIN_VALUE;
        x[1] = -0f;
        Path p = dir.resolve("rt32.wav");
        WavWriter.writeFloat32(p, x, 48000);
        Audio a = Audio.read(p);
        assertThat(a.sampleRate()).isEqualTo(48000);
        assertThat(a.samples()).containsExactly(x);
    }

    @Test
    void javaxSoundReadsBothOutputsWithTheRightFormat() throws Exception {
        Path p16 = dir.resolve("j16.wav");
        Path p32 = dir.resolve("j32.wav");
        WavWriter.writePcm16(p16, new float[] {0.1f, 0.2f}, 16000);
        WavWriter.writeFloat32(p32, new float[] {0.1f, 0.2f, 0.3f}, 16000);
        try (AudioInputStream s = AudioSystem.getAudioInputStream(p16.toFile())) {
            assertThat(s.getFormat().getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
            assertThat(s.getFrameLength()).isEqualTo(2);
        }
        try (AudioInputStream s = AudioSystem.getAudioInputStream(p32.toFile())) {
            assertThat(s.getFormat().getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_FLOAT);
            assertThat(s.getFormat().getSampleSizeInBits()).isEqualTo(32);
            assertThat(s.getFrameLength()).isEqualTo(3);
        }
    }

    @Test
    void failureMidWriteLeavesThePreviousFileAndNoTempFiles() throws IOException {
        Path p = dir.resolve("keep.wav");
        Files.writeString(p, "previous contents");
        float[] x = new float[50000];
        x[40000] = Float.NaN; // several 8192-sample blocks are already on disk when this is found
        assertThatThrownBy(() -> WavWriter.writePcm16(p, x, 16000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NaN sample at index 40000; refusing to write");
        x[40000] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> WavWriter.writeFloat32(p, x, 16000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("infinite sample at index 40000; refusing to write");
        assertThat(Files.readString(p)).isEqualTo("previous contents");
        assertThat(dirListing()).containsExactly("keep.wav");
    }

    @Test
    void failedRenameLeavesNoTempFile() throws IOException {
        // The target is a non-empty directory: the final move must fail, and must not leave debris.
        Path target = dir.resolve("out.wav");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside.txt"), "x");
        assertThatThrownBy(() -> WavWriter.writePcm16(target, new float[100], 16000))
                .isInstanceOf(IOException.class);
        assertThat(dirListing()).containsExactly("out.wav");
        assertThat(Files.readString(target.resolve("inside.txt"))).isEqualTo("x");
    }

    @Test
    void newFilesGetOrdinaryPermissionsAndExistingFilesKeepTheirs() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path reference = Files.createFile(dir.resolve("reference"));
        Path fresh = dir.resolve("fresh.wav");
        WavWriter.writePcm16(fresh, new float[10], 16000);
        // not the 0600 of a bare temp file, but what creating any file here gives
        assertThat(Files.getPosixFilePermissions(fresh)).isEqualTo(Files.getPosixFilePermissions(reference));

        Path existing = dir.resolve("existing.wav");
        Files.createFile(existing);
        Set<PosixFilePermission> custom = PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(existing, custom);
        WavWriter.writeFloat32(existing, new float[10], 16000);
        assertThat(Files.getPosixFilePermissions(existing)).isEqualTo(custom);
    }

    @Test
    void missingDirectoryIsAnIoError() {
        Path p = dir.resolve("no/such/dir/x.wav");
        assertThatThrownBy(() -> WavWriter.writeFloat32(p, new float[1], 16000))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void overwritesAnExistingFileCompletely() throws IOException {
        Path p = dir.resolve("over.wav");
        WavWriter.writeFloat32(p, new float[5000], 16000);
        WavWriter.writePcm16(p, new float[] {0.5f}, 8000);
        assertThat(Files.size(p)).isEqualTo(46);
        assertThat(Audio.read(p).samples()).containsExactly(0.5f);
        assertThat(dirListing()).containsExactly("over.wav");
    }

    @Test
    void writesTheAudioRecord() throws IOException {
        Path p = dir.resolve("rec.wav");
        Audio a = new Audio(new float[] {0.25f, -0.25f}, 12000);
        WavWriter.writeFloat32(p, a);
        Audio back = Audio.read(p);
        assertThat(back.sampleRate()).isEqualTo(12000);
        assertThat(back.samples()).containsExactly(a.samples());
        assertThat(WavWriter.writePcm16(p, a)).isZero();
        assertThat(Arrays.equals(Audio.read(p).samples(), a.samples())).isTrue();
    }

    @Test
    void rejectsBadRate() {
        assertThatThrownBy(() -> WavWriter.writePcm16(dir.resolve("x.wav"), new float[1], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sample rate must be positive, got 0");
    }
}
