package dev.phasegrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.Npy;
import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.StftConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One-line errors that name the file, no leftovers, and the edges of invert's inputs and outputs. */
class ReliabilityCliTest {
    @TempDir
    static Path dir;

    static Path wav;

    @BeforeAll
    static void clip() throws Exception {
        wav = dir.resolve("clip.wav");
        WavWriter.writePcm16(
                wav,
                Arrays.copyOf(
                        Audio.readResource("/dev/phasegrad/clips/pbx-invalid.wav")
                                .samples(),
                        16000),
                16000);
    }

    private static void oneLine(CliTest.Run r, String... parts) {
        assertThat(r.code()).as(r.out()).isEqualTo(1);
        assertThat(r.err().strip())
                .contains(parts)
                .doesNotContain("\n")
                .doesNotContain("Exception")
                .doesNotContain(".tmp")
                .doesNotContain("at dev.");
    }

    private static Path npy(String name, int frames, float value) throws Exception {
        Path p = dir.resolve(name);
        float[][] m = new float[frames][513];
        for (float[] row : m) {
            Arrays.fill(row, 1f);
        }
        Npy.write(p, m);
        if (value != 1f) {
            // Npy.write refuses nothing finite, but patch the raw data to hold exactly this value everywhere
            byte[] b = Files.readAllBytes(p);
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = b.length - frames * 513 * 4; i < b.length; i += 4) {
                buf.putFloat(i, value);
            }
            Files.write(p, b);
        }
        return p;
    }

    @Test
    void optionsOutOfRangeAreOneLineErrors() {
        oneLine(
                CliTest.run(
                        "invert",
                        "--fft",
                        "1073741824",
                        wav.toString(),
                        dir.resolve("a.wav").toString()),
                "--fft must be an even number from 4 to 65536, got 1073741824");
        oneLine(
                CliTest.run(
                        "invert",
                        "--rate",
                        "0",
                        wav.toString(),
                        dir.resolve("a.wav").toString()),
                "--rate");
        oneLine(
                CliTest.run(
                        "invert",
                        "--hop",
                        "9999",
                        wav.toString(),
                        dir.resolve("a.wav").toString()),
                "hop");
    }

    @Test
    void modelAndMethodTogetherAreRefusedAndAModelDirectoryIsNamed() throws Exception {
        Path model = dir.resolve("m.pgnn");
        PhaseModel.builtin("proposed", StftConfig.DEFAULT).write(model);
        oneLine(
                CliTest.run(
                        "invert",
                        "-m",
                        "spsi",
                        "--model",
                        model.toString(),
                        wav.toString(),
                        dir.resolve("a.wav").toString()),
                "--model",
                "--method spsi",
                "give one");
        oneLine(
                CliTest.run(
                        "invert",
                        "--model",
                        dir.toString(),
                        wav.toString(),
                        dir.resolve("a.wav").toString()),
                dir + ": is a directory, not a model file");
        assertThat(dir.resolve("a.wav")).doesNotExist();
    }

    @Test
    void npyEdges() throws Exception {
        Path three = npy("three.npy", 3, 1f);
        oneLine(
                CliTest.run(
                        "invert",
                        "-m",
                        "spsi",
                        three.toString(),
                        dir.resolve("e.wav").toString()),
                "three.npy: 3 frames give no samples",
                "at least 4 frames");
        oneLine(
                CliTest.run(
                        "invert",
                        "-m",
                        "pghi",
                        three.toString(),
                        dir.resolve("e.wav").toString()),
                "three.npy: 3 frames give no samples");
        assertThat(dir.resolve("e.wav")).doesNotExist();

        Path huge = npy("huge.npy", 8, Float.MAX_VALUE);
        oneLine(
                CliTest.run(
                        "invert",
                        "-m",
                        "rtisi-la",
                        huge.toString(),
                        dir.resolve("h.wav").toString()),
                "huge.npy: magnitude 3.4028234663852886E38 at frame 0, bin 0 exceeds the bound 1.0E15");
        Path negative = npy("neg.npy", 8, -2f);
        oneLine(
                CliTest.run("invert", negative.toString(), dir.resolve("n.wav").toString()),
                "neg.npy: negative magnitude -2.0 at frame 0, bin 0 (a log-magnitude file? pass --log)");
        assertThat(dir.resolve("h.wav")).doesNotExist();
        assertThat(dir.resolve("n.wav")).doesNotExist();

        // at the bound every method stays finite
        Path top = npy("top.npy", 12, 1e15f * 0.999f);
        for (String m : Methods.magnitudeOnlyNames()) {
            Path out = dir.resolve("top-" + m + ".wav");
            CliTest.Run r = CliTest.run("invert", "--float", "-m", m, top.toString(), out.toString());
            assertThat(r.code()).as(m + ": " + r.err()).isZero();
            for (float v : Audio.read(out).samples()) {
                assertThat(Float.isFinite(v)).as(m).isTrue();
            }
        }
    }

    @Test
    void aSymlinkedOutputIsWrittenThroughAndStaysALink() throws Exception {
        Path target = dir.resolve("real-target.wav");
        Path link = dir.resolve("link.wav");
        Files.createSymbolicLink(link, target.getFileName());
        CliTest.Run r = CliTest.run("invert", "-m", "spsi", wav.toString(), link.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Audio.read(target).length()).isEqualTo(16000);
        // again, over the existing target
        r = CliTest.run("invert", "-m", "rtpghi", "--force", wav.toString(), link.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void staleTemporaryFilesOfDeadRunsAreRemovedLiveOnesKept() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("stale"));
        long dead = deadPid();
        Path stale = Files.writeString(sub.resolve(".out.wav.pg" + dead + "-123.tmp"), "half a file");
        long live = ProcessHandle.current().parent().orElseThrow().pid();
        Path running = Files.writeString(sub.resolve(".out.wav.pg" + live + "-456.tmp"), "being written");
        Path foreign = Files.writeString(sub.resolve(".notes.tmp"), "not ours");
        CliTest.Run r = CliTest.run(
                "invert", "-m", "spsi", wav.toString(), sub.resolve("out.wav").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(stale).doesNotExist();
        assertThat(running).exists();
        assertThat(foreign).exists();
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void dashIsStandardInputAndStandardOutput() throws Exception {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(wav)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run("invert", "-m", "spsi", "-", "-");
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("-: ", "frames -> -");
        Path file = dir.resolve("file.wav");
        assertThat(CliTest.run("invert", "-m", "spsi", wav.toString(), file.toString())
                        .code())
                .isZero();
        // the same samples; on a pipe the header keeps the streaming sizes
        byte[] piped = out.toByteArray();
        byte[] written = Files.readAllBytes(file);
        assertThat(Arrays.copyOfRange(piped, 44, piped.length))
                .isEqualTo(Arrays.copyOfRange(written, 44, written.length));
        Path copy = Files.write(dir.resolve("piped.wav"), piped);
        assertThat(Audio.read(copy).samples()).isEqualTo(Audio.read(file).samples());
    }

    @Test
    void writeFailuresNameTheOutput() throws Exception {
        Path full = Path.of("/dev/full");
        if (!Files.exists(full)) {
            return;
        }
        oneLine(
                CliTest.run("invert", "-m", "spsi", "--force", wav.toString(), full.toString()),
                "/dev/full: output failed",
                "No space left on device");
        assertThat(Files.isRegularFile(full)).isFalse();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp"))
                            .count())
                    .isZero();
        }
    }
}
