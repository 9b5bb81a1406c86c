package dev.phasegrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.audio.WavWriter;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long files in constant memory, in a JVM of its own with a heap far smaller than the whole-signal
 * path needs (20 minutes of 16 kHz audio hold about 1 GB there; the heap here is 64 MB).
 */
class BoundedMemoryTest {
    private static final int RATE = 16000;
    private static final int SECONDS = 20 * 60;

    @TempDir
    static Path dir;

    static Path wav;

    /** Twenty minutes of a gliding tone in noise, written as it is made. */
    @BeforeAll
    static void longWav() throws IOException {
        wav = dir.resolve("long.wav");
        long n = (long) SECONDS * RATE;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(wav), 1 << 16)) {
            out.write(WavWriter.header(false, RATE, n));
            double phase = 0;
            long seed = 1;
            byte[] two = new byte[2];
            for (long i = 0; i < n; i++) {
                phase += 2 * Math.PI * (300 + 150 * Math.sin(i * (2 * Math.PI / (RATE * 3.0)))) / RATE;
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                double noise = ((seed >>> 40) / (double) (1L << 24) - 0.5) * 0.05;
                int q = (int) Math.round((0.3 * Math.sin(phase) + noise) * 32767);
                two[0] = (byte) q;
                two[1] = (byte) (q >> 8);
                out.write(two);
            }
        }
    }

    record Result(int code, String out, String err) {}

    static Result fork(String heap, String... args) throws Exception {
        // The tests may run on the module path; the forked CLI runs on the class path alone, as the jar does.
        String cp = System.getProperty("java.class.path");
        String mp = System.getProperty("jdk.module.path");
        if (mp != null && !mp.isEmpty()) {
            cp = mp + File.pathSeparator + cp;
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap,
                "-cp",
                cp,
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished in time").isTrue();
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void twentyMinutesInvertInA64MbHeap() throws Exception {
        Path out = dir.resolve("out.wav");
        Result r = fork("-Xmx64m", "invert", "-m", "spsi", wav.toString(), out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("(1200.00 s, spsi");
        assertThat(Files.size(out)).isEqualTo(Files.size(wav));
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp"))
                            .count())
                    .isZero();
        }
    }

    @Test
    void anOfflineMethodIsRefusedInOneLineAndAnOutOfMemoryErrorIsOneLineToo() throws Exception {
        Result r = fork(
                "-Xmx64m",
                "invert",
                "-m",
                "fgla",
                wav.toString(),
                dir.resolve("never.wav").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip())
                .contains("long.wav: 1200.0 s is longer than the 936 s", "offline method fgla", "streaming method")
                .doesNotContain("\n");
        assertThat(dir.resolve("never.wav")).doesNotExist();

        // below the bound, but far more than this heap: the Error is one line, exit 1
        Path shorter = dir.resolve("five-minutes.wav");
        try (var in = Files.newInputStream(wav);
                OutputStream o = Files.newOutputStream(shorter)) {
            long n = 300L * RATE;
            o.write(WavWriter.header(false, RATE, n));
            in.skipNBytes(44);
            o.write(in.readNBytes((int) (2 * n)));
        }
        Result oom = fork(
                "-Xmx24m",
                "invert",
                "-m",
                "fgla",
                shorter.toString(),
                dir.resolve("never2.wav").toString());
        assertThat(oom.code()).isEqualTo(1);
        assertThat(oom.err().strip())
                .startsWith("phasegrad invert: error: out of memory")
                .doesNotContain("\n")
                .doesNotContain("\tat ");
    }
}
