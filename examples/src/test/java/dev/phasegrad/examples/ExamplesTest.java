package dev.phasegrad.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.Method;
import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.Npy;
import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example on the embedded speech clip: in process, and as the single source file users run. */
class ExamplesTest {
    private static final StftConfig STFT = StftConfig.hann(1024, 256);
    private static final Path SOURCES = Path.of("src/main/java/dev/phasegrad/examples");

    @TempDir
    static Path dir;

    static Path clipWav;
    static float[] clip;

    @BeforeAll
    static void writeClip() throws Exception {
        clip = Audio.readResource("/dev/phasegrad/clips/auth-incorrect.wav").samples();
        clipWav = dir.resolve("clip.wav");
        WavWriter.writeFloat32(clipWav, clip, 16000);
    }

    @Test
    void streamWavReconstructsTheClipAlignedWithIt() throws Exception {
        Path out = dir.resolve("streamed.wav");
        StreamWav.run(clipWav, out, Method.PHASEGRAD);
        Audio y = Audio.read(out);
        assertThat(y.sampleRate()).isEqualTo(16000);
        assertThat(y.length()).isEqualTo(clip.length);
        // the same magnitudes back, to within what phasegrad reaches on this clip (about -26 dB)
        assertThat(spectralConvergenceDb(clip, y.samples())).isLessThan(-20);
    }

    @Test
    void invertNpyTurnsLogMagnitudesIntoTheClip() throws Exception {
        float[][] magnitude = Stft.magnitude(clip, STFT);
        float[][] logMagnitude = new float[magnitude.length][];
        for (int t = 0; t < magnitude.length; t++) {
            logMagnitude[t] = new float[magnitude[t].length];
            for (int k = 0; k < magnitude[t].length; k++) {
                logMagnitude[t][k] = (float) Math.log(Math.max(magnitude[t][k], 1e-8f));
            }
        }
        Path npy = dir.resolve("clip-logmag.npy");
        Npy.write(npy, logMagnitude);
        Path out = dir.resolve("from-npy.wav");
        int n = InvertNpy.run(npy, out, Method.PHASEGRAD);
        float[] y = Audio.read(out).samples();
        assertThat(n).isEqualTo(y.length).isGreaterThanOrEqualTo(clip.length);
        assertThat(spectralConvergenceDb(clip, Arrays.copyOf(y, clip.length))).isLessThan(-20);
    }

    @Test
    void playWavPlaysOrSaysThereIsNoDevice() {
        float[] half = Arrays.copyOf(clip, 8000);
        int status = PlayWav.play(new Audio(half, 16000), Method.SPSI);
        assertThat(status).isIn(0, PlayWav.NO_DEVICE);
    }

    /** Each example is one self-contained source file: the java launcher runs it as it is. */
    @Test
    void everyExampleRunsFromItsSourceFile() throws Exception {
        Path streamed = dir.resolve("launched.wav");
        Launch a = launch("StreamWav.java", clipWav.toString(), streamed.toString(), "spsi");
        assertThat(a.status).as(a.output).isZero();
        assertThat(a.output).contains("wrote " + streamed);
        assertThat(Audio.read(streamed).length()).isEqualTo(clip.length);

        Npy.write(dir.resolve("small.npy"), Arrays.copyOf(Stft.magnitude(clip, STFT), 20));
        Launch b = launch(
                "InvertNpy.java",
                dir.resolve("small.npy").toString(),
                dir.resolve("small.wav").toString(),
                "spsi");
        assertThat(b.status).as(b.output).isZero();
        assertThat(b.output).contains("samples)");

        Launch usage = launch("InvertNpy.java");
        assertThat(usage.status).isEqualTo(2);
        assertThat(usage.output).contains("usage: InvertNpy");

        // the launcher reads the device list of whatever machine runs the build: play or explain
        Path shortClip = dir.resolve("short.wav");
        WavWriter.writePcm16(shortClip, Arrays.copyOf(clip, 4000), 16000);
        Launch c = launch("PlayWav.java", shortClip.toString(), "spsi");
        if (c.status == 0) {
            assertThat(c.output).contains("played");
        } else {
            assertThat(c.status).as(c.output).isEqualTo(PlayWav.NO_DEVICE);
            assertThat(c.output).contains("no sound device to play on");
        }
    }

    private record Launch(int status, String output) {}

    /** {@code java -cp <the core and its dependencies> <source file> args...}, as the examples' Javadoc shows. */
    private static Launch launch(String source, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // on the module path here, the core and JTransforms are on jdk.module.path; the launcher takes a class path
        String cp = String.join(
                File.pathSeparator,
                List.of(System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path", "")));
        List<String> command =
                new ArrayList<>(List.of(java, "-cp", cp, SOURCES.resolve(source).toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Launch(p.exitValue(), output);
    }

    /** 20 log10 of ‖|X| − |Y|‖ / ‖|X|‖ over the whole spectrogram. */
    private static double spectralConvergenceDb(float[] x, float[] y) {
        float[][] a = Stft.magnitude(x, STFT);
        float[][] b = Stft.magnitude(y, STFT);
        double num = 0;
        double den = 0;
        for (int t = 0; t < a.length; t++) {
            for (int k = 0; k < a[t].length; k++) {
                double d = a[t][k] - b[t][k];
                num += d * d;
                den += (double) a[t][k] * a[t][k];
            }
        }
        return 10 * Math.log10(num / den);
    }
}
