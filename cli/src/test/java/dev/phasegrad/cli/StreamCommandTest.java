package dev.phasegrad.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.management.ThreadMXBean;
import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.Npy;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamCommandTest {
    @TempDir
    static Path dir;

    static Path npy;
    static float[][] magnitude;

    record Piped(int code, byte[] out, String err) {}

    @BeforeAll
    static void clip() throws Exception {
        float[] x = Audio.readResource("/dev/phasegrad/clips/pbx-invalid.wav").samples();
        // two seconds keep every method's run well under a second
        magnitude = Stft.magnitude(Arrays.copyOf(x, 32000), StftConfig.DEFAULT);
        npy = dir.resolve("frames.npy");
        Npy.write(npy, magnitude);
    }

    /** Runs the CLI in-process with {@code stdin} as standard input, capturing standard output as bytes. */
    static Piped pipe(byte[] stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin));
            System.setOut(new PrintStream(out, false));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            System.out.flush();
            return new Piped(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static float[] floats(byte[] b, int offset) {
        ByteBuffer buf = ByteBuffer.wrap(b, offset, b.length - offset).order(ByteOrder.LITTLE_ENDIAN);
        float[] x = new float[(b.length - offset) / 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = buf.getFloat();
        }
        return x;
    }

    static byte[] raw(float[][] m) {
        ByteBuffer b = ByteBuffer.allocate(m.length * m[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : m) {
            for (float v : row) {
                b.putFloat(v);
            }
        }
        return b.array();
    }

    /** Samples of a 32-bit float WAV as phasegrad writes it: 58-byte header, then the data. */
    static float[] floatWav(Path wav) throws Exception {
        byte[] b = Files.readAllBytes(wav);
        assertThat(new String(b, 50, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
        return floats(b, 58);
    }

    @ParameterizedTest
    @ValueSource(strings = {"proposed", "proposed-strided", "rtpghi-la1", "rtisi-la", "spsi", "ls-heuristic-la1"})
    void streamGivesBitIdenticalSamplesToInvertOfTheSameNpy(String method) throws Exception {
        Path wav = dir.resolve("invert-" + method + ".wav");
        CliTest.Run inv = CliTest.run("invert", "--float", "--method", method, npy.toString(), wav.toString());
        assertThat(inv.code()).as(inv.err()).isZero();
        float[] inverted = floatWav(wav);

        Piped s = pipe(Files.readAllBytes(npy), "stream", "--method", method, "--format", "f32le");
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(s.err()).isEmpty();
        // invert drops the first N - hop samples (before the signal) and ends at frames·hop − (N − hop);
        // the stream drops the same delay plus its look-ahead and drains the look-ahead at end of input
        assertThat(inverted).hasSize(magnitude.length * 256 - 768);
        assertThat(floats(s.out(), 0)).containsExactly(inverted);

        // raw float32 frames are the same frames
        Piped r = pipe(raw(magnitude), "stream", "--method", method, "--format", "f32le", "--bins", "513");
        assertThat(r.out()).isEqualTo(s.out());
    }

    @Test
    void logMagnitudesAndSixteenBitOutputMatchInvertToo() throws Exception {
        float[][] ln = new float[magnitude.length][];
        for (int t = 0; t < ln.length; t++) {
            ln[t] = new float[magnitude[t].length];
            for (int k = 0; k < ln[t].length; k++) {
                ln[t][k] = (float) Math.log(Math.max(magnitude[t][k], 1e-8f));
            }
        }
        Path lnNpy = dir.resolve("ln.npy");
        Npy.write(lnNpy, ln);
        Path wav = dir.resolve("ln.wav");
        assertThat(CliTest.run("invert", "--log", lnNpy.toString(), wav.toString())
                        .code())
                .isZero();
        byte[] pcm = Files.readAllBytes(wav);

        Piped s = pipe(Files.readAllBytes(lnNpy), "stream", "--log");
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(s.out()).isEqualTo(Arrays.copyOfRange(pcm, 44, pcm.length));
    }

    @Test
    void wavToAPipeKeepsTheStreamingSizesAndToAFileGetsThemPatched() throws Exception {
        Piped s = pipe(Files.readAllBytes(npy), "stream", "--format", "wav", "--float");
        assertThat(s.code()).as(s.err()).isZero();
        ByteBuffer h = ByteBuffer.wrap(s.out()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(h.getInt(4)).isEqualTo(-1);
        assertThat(h.getInt(54)).isEqualTo(-1);
        float[] streamed = floats(s.out(), 58);

        // a regular file: the header is rewritten at the end, so any WAV reader takes it
        Path out = dir.resolve("patched.wav");
        StftConfig c = StftConfig.DEFAULT;
        try (FileOutputStream f = new FileOutputStream(out.toFile())) {
            AudioOutput audio = new AudioOutput(
                    f, "out", true, f.getChannel(), AudioOutput.Format.wav, true, c.sampleRate(), c.hop());
            StreamCommand.run(
                    StreamCommand.Chain.of(PhaseInverter.builder()
                            .method(Method.PHASEGRAD)
                            .stft(c)
                            .build()),
                    new ByteArrayInputStream(Files.readAllBytes(npy)),
                    false,
                    audio);
        }
        assertThat(floatWav(out)).containsExactly(streamed);
        assertThat(Audio.read(out).samples()).containsExactly(streamed);
    }

    @Test
    void badFramesAreOneLineNamingFrameAndBin() throws Exception {
        float[][] m = new float[6][513];
        m[3][40] = Float.NaN;
        Piped nan = pipe(raw(m), "stream", "--method", "spsi");
        assertThat(nan.code()).isEqualTo(1);
        assertThat(nan.err().strip()).isEqualTo("phasegrad stream: error: stdin: NaN at frame 3, bin 40");

        float[][] neg = new float[6][513];
        neg[2][7] = -0.25f;
        Piped negative = pipe(raw(neg), "stream", "--method", "spsi");
        assertThat(negative.code()).isEqualTo(1);
        assertThat(negative.err().strip())
                .startsWith("phasegrad stream: error: stdin: negative magnitude -0.25 at frame 2, bin 7")
                .contains("--log")
                .doesNotContain("\n");
        assertThat(pipe(raw(neg), "stream", "--method", "spsi", "--log").code()).isZero();

        byte[] partial = Arrays.copyOf(raw(new float[5][513]), 5 * 513 * 4 - 10);
        Piped cut = pipe(partial, "stream", "--method", "spsi");
        assertThat(cut.code()).isEqualTo(1);
        assertThat(cut.err().strip())
                .isEqualTo("phasegrad stream: error: stdin: partial frame 4 at end of input: "
                        + "2042 of 2052 bytes (513 float32 values per frame)");

        for (Piped p : new Piped[] {nan, negative, cut}) {
            assertThat(p.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void usageErrorsAreOneLine() {
        Piped bins = pipe(new byte[0], "stream", "--bins", "257");
        assertThat(bins.code()).isEqualTo(1);
        assertThat(bins.err().strip())
                .contains("--bins 257", "513", "--fft 512")
                .doesNotContain("\n");

        Piped offline = pipe(new byte[0], "stream", "--method", "fgla");
        assertThat(offline.code()).isEqualTo(1);
        assertThat(offline.err().strip())
                .contains("'fgla' is not a streaming method", "rtpghi")
                .doesNotContain("\n");

        Piped oracle = pipe(new byte[0], "stream", "--method", "oracle");
        assertThat(oracle.err().strip())
                .contains("'oracle' is not a streaming method", "original signal")
                .doesNotContain("\n");

        Piped empty = pipe(new byte[0], "stream", "--method", "spsi");
        assertThat(empty.code()).isEqualTo(1);
        assertThat(empty.err().strip()).isEqualTo("phasegrad stream: error: stdin: no frames (empty input)");
    }

    @Test
    void playWithoutASoundDeviceSaysSoInOneLine() {
        boolean device;
        try {
            AudioSystem.getSourceDataLine(new AudioFormat(16000, 16, 1, true, false));
            device = true;
        } catch (Exception e) {
            device = false;
        }
        assumeThat(device).as("this machine has a sound device").isFalse();
        Piped p = pipe(raw(new float[4][513]), "stream", "--method", "spsi", "--play");
        assertThat(p.code()).isEqualTo(1);
        assertThat(p.err().strip())
                .startsWith("phasegrad stream: error: no sound device")
                .contains("aplay")
                .doesNotContain("\n");
        assertThat(p.out()).isEmpty();
    }

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes this thread allocates streaming {@code frames} frames (setup included) to a discarding sink. */
    private static long streamBytes(byte[] frames) throws Exception {
        StftConfig c = StftConfig.DEFAULT;
        PhaseInverter inv = PhaseInverter.builder().method(Method.SPSI).stft(c).build();
        AudioOutput out = new AudioOutput(
                OutputStream.nullOutputStream(),
                "out",
                true,
                null,
                AudioOutput.Format.s16le,
                false,
                c.sampleRate(),
                c.hop());
        ByteArrayInputStream in = new ByteArrayInputStream(frames);
        long id = Thread.currentThread().getId();
        long a0 = THREADS.getThreadAllocatedBytes(id);
        StreamCommand.run(StreamCommand.Chain.of(inv), in, false, out);
        return THREADS.getThreadAllocatedBytes(id) - a0;
    }

    @Test
    void theStreamLoopAllocatesNothingPerFrame() throws Exception {
        byte[] few = raw(Arrays.copyOf(magnitude, 20));
        float[][] many = new float[20 + 300][];
        for (int t = 0; t < many.length; t++) {
            many[t] = magnitude[t % magnitude.length];
        }
        byte[] more = raw(many);
        long least = Long.MAX_VALUE;
        // the least of a few passes: a JIT transition inside one pass allocates once (see core's Allocations)
        for (int pass = 0; pass < 6 && least > 0; pass++) {
            least = Math.min(least, streamBytes(more) - streamBytes(few));
        }
        assertThat(least / 300.0).as("bytes per frame").isLessThan(1.0);
    }

    /** The real thing: a separate JVM with its standard input and output as pipes, then as a file. */
    @Test
    void aForkedProcessSitsInAPipeAndPatchesAFileOutput() throws Exception {
        Piped inProcess = pipe(Files.readAllBytes(npy), "stream", "--method", "spsi", "--format", "wav");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The tests may run on the module path; the forked CLI runs on the class path alone, as the jar does.
        String cp = System.getProperty("java.class.path");
        String mp = System.getProperty("jdk.module.path");
        if (mp != null && !mp.isEmpty()) {
            cp = mp + File.pathSeparator + cp;
        }

        Process p = new ProcessBuilder(
                        java, "-cp", cp, Main.class.getName(), "stream", "--method", "spsi", "--format", "wav")
                .redirectInput(npy.toFile())
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(out).isEqualTo(inProcess.out());

        Path file = dir.resolve("forked.wav");
        Process q = new ProcessBuilder(
                        java, "-cp", cp, Main.class.getName(), "stream", "--method", "spsi", "--format", "wav")
                .redirectInput(npy.toFile())
                .redirectOutput(file.toFile())
                .start();
        assertThat(q.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(q.exitValue()).isZero();
        byte[] patched = Files.readAllBytes(file);
        assertThat(Arrays.copyOfRange(patched, 44, patched.length)).isEqualTo(Arrays.copyOfRange(out, 44, out.length));
        assertThat(ByteBuffer.wrap(patched).order(ByteOrder.LITTLE_ENDIAN).getInt(40))
                .isEqualTo(patched.length - 44);
        assertThat(Audio.read(file).samples()).hasSize((patched.length - 44) / 2);
    }
}
