package dev.phasegrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.Npy;
import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchTest {
    @TempDir
    Path dir;

    Path in;
    float[] speech;

    /** in/a.wav, in/b.npy, in/sub/c.wav (one second each) and in/sub/corrupt.wav (text). */
    @BeforeEach
    void inputs() throws Exception {
        speech = Arrays.copyOf(
                Audio.readResource("/dev/phasegrad/clips/pbx-invalid.wav").samples(), 16000);
        in = dir.resolve("in");
        Files.createDirectories(in.resolve("sub"));
        WavWriter.writePcm16(in.resolve("a.wav"), speech, 16000);
        Npy.write(in.resolve("b.npy"), Stft.magnitude(speech, StftConfig.DEFAULT));
        WavWriter.writePcm16(in.resolve("sub/c.wav"), speech, 16000);
        Files.writeString(in.resolve("sub/corrupt.wav"), "not audio at all\n");
        Files.writeString(in.resolve("notes.txt"), "ignored: not .wav or .npy\n");
    }

    private static List<String> lines(String s) {
        return s.lines().filter(l -> !l.isBlank()).toList();
    }

    private List<Path> tmpFiles() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void directoryWithOneCorruptFileInvertsTheRestReportsItAndExitsOne() throws Exception {
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("invert", "--method", "spsi", "--threads", "2", in.toString(), out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(out.resolve("a.wav")).exists();
        assertThat(out.resolve("b.wav")).exists();
        assertThat(out.resolve("sub/c.wav")).exists();
        assertThat(out.resolve("sub/corrupt.wav")).doesNotExist();
        assertThat(lines(r.err()))
                .singleElement()
                .asString()
                .startsWith("phasegrad invert: failed: " + in.resolve("sub/corrupt.wav"))
                .doesNotContain("Exception");
        assertThat(r.out())
                .contains(
                        "invert: 3 files ok, 1 failed; 3.0 s of audio (0.0008 h) in ",
                        "real-time factor",
                        "(wall clock, 2 threads)");
        assertThat(Audio.read(out.resolve("sub/c.wav")).samples()).hasSize(16000);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void existingOutputsNeedForceOrResumeAndForceKeepsPermissions() throws Exception {
        Files.delete(in.resolve("sub/corrupt.wav"));
        Path out = dir.resolve("out");
        assertThat(CliTest.run("invert", "--method", "spsi", in.toString(), out.toString())
                        .code())
                .isZero();
        byte[] before = Files.readAllBytes(out.resolve("a.wav"));

        CliTest.Run again = CliTest.run("invert", "--method", "spsi", in.toString(), out.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err().strip())
                .contains("a.wav: exists (and 2 more outputs); pass --force to overwrite or " + "--resume")
                .doesNotContain("\n");

        Files.delete(out.resolve("b.wav"));
        CliTest.Run resumed = CliTest.run("invert", "--method", "spsi", "--resume", in.toString(), out.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("invert: 1 file ok, 0 failed, 2 skipped (--resume)");
        assertThat(out.resolve("b.wav")).exists();

        Files.setPosixFilePermissions(out.resolve("a.wav"), PosixFilePermissions.fromString("rw-r-----"));
        CliTest.Run forced = CliTest.run("invert", "--method", "rtpghi", "--force", in.toString(), out.toString());
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(Files.readAllBytes(out.resolve("a.wav"))).isNotEqualTo(before);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("a.wav"))))
                .isEqualTo("rw-r-----");

        CliTest.Run both = CliTest.run("invert", "--force", "--resume", in.toString(), out.toString());
        assertThat(both.code()).isEqualTo(1);
        assertThat(both.err()).contains("contradict");
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void singleFileIsNeverOverwrittenWithoutForceNorOntoItsInput() throws Exception {
        Path a = in.resolve("a.wav");
        Path o = dir.resolve("o.wav");
        Files.writeString(o, "precious");
        CliTest.Run r = CliTest.run("invert", "--method", "spsi", a.toString(), o.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("phasegrad invert: error: " + o + ": exists; pass --force to overwrite");
        assertThat(Files.readString(o)).isEqualTo("precious");

        CliTest.Run self = CliTest.run("invert", "--method", "spsi", "--force", a.toString(), a.toString());
        assertThat(self.code()).isEqualTo(1);
        assertThat(self.err()).contains("is the input", "refusing");
        Path link = dir.resolve("link.wav");
        Files.createSymbolicLink(link, a);
        CliTest.Run viaLink = CliTest.run("invert", "--method", "spsi", "--force", a.toString(), link.toString());
        assertThat(viaLink.err()).contains("is the input");
        assertThat(Audio.read(a).samples()).hasSize(16000);

        // a directory input mirrored onto itself: every .wav output is its own input
        Files.delete(in.resolve("sub/corrupt.wav"));
        CliTest.Run inPlace = CliTest.run("invert", "--method", "spsi", "--force", in.toString(), in.toString());
        assertThat(inPlace.code()).isEqualTo(1);
        assertThat(inPlace.err()).contains("is the input");

        CliTest.Run forced = CliTest.run("invert", "--method", "spsi", "--force", a.toString(), o.toString());
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(Audio.read(o).samples()).hasSize(16000);
    }

    @Test
    void manifestAndGlobSelectTheFiles() throws Exception {
        Path list = in.resolve("jobs.tsv");
        Files.writeString(list, "# relative to the manifest\na.wav\t../m/first.wav\n\nsub/c.wav\n");
        Path out = dir.resolve("rest");
        CliTest.Run r = CliTest.run("invert", "--method", "spsi", "--manifest", list.toString(), out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(dir.resolve("m/first.wav")).exists();
        assertThat(out.resolve("c.wav")).exists();
        assertThat(r.out()).contains("invert: 2 files ok, 0 failed");

        Path g = dir.resolve("g");
        CliTest.Run glob = CliTest.run("invert", "--method", "spsi", in + "/**.wav", g.toString());
        assertThat(glob.code()).isEqualTo(1);
        assertThat(g.resolve("a.wav")).exists();
        assertThat(g.resolve("sub/c.wav")).exists();
        assertThat(g.resolve("b.wav")).doesNotExist();
        assertThat(glob.out()).contains("2 files ok, 1 failed");

        CliTest.Run none = CliTest.run("invert", in + "/*.flac", g.toString());
        assertThat(none.err().strip()).endsWith("*.flac: no file matches");

        Files.writeString(list, "a.wav\tx.wav\tsurplus\n");
        CliTest.Run bad = CliTest.run("invert", "--manifest", list.toString());
        assertThat(bad.err().strip()).contains("jobs.tsv: line 1", "input<TAB>output");
    }

    @Test
    void parallelAndSequentialRunsWriteTheSameBytes() throws Exception {
        Files.delete(in.resolve("sub/corrupt.wav"));
        assertThat(CliTest.run(
                                "invert",
                                "--threads",
                                "1",
                                in.toString(),
                                dir.resolve("one").toString())
                        .code())
                .isZero();
        assertThat(CliTest.run(
                                "invert",
                                "--threads",
                                "3",
                                in.toString(),
                                dir.resolve("three").toString())
                        .code())
                .isZero();
        for (String f : new String[] {"a.wav", "b.wav", "sub/c.wav"}) {
            assertThat(Files.readAllBytes(dir.resolve("three").resolve(f)))
                    .isEqualTo(Files.readAllBytes(dir.resolve("one").resolve(f)));
        }
    }

    @Test
    void evalOverADirectoryWithACorruptFileScoresTheRestAndExitsOne() throws Exception {
        Path json = dir.resolve("r.json");
        Path recon = dir.resolve("recon");
        CliTest.Run r = CliTest.run(
                "eval",
                "--methods",
                "spsi,rtpghi",
                "--json",
                json.toString(),
                "--out",
                recon.toString(),
                in.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(lines(r.err()))
                .singleElement()
                .asString()
                .startsWith("phasegrad eval: failed: " + in.resolve("sub/corrupt.wav"));
        assertThat(r.out()).contains("a (1.00 s)", "sub/c (1.00 s)", "eval: 2 files ok, 1 failed; 2.0 s of audio");
        String report = Files.readString(json);
        assertThat(report)
                .contains(
                        "\"source\": \"a\"",
                        "\"source\": \"sub/c\"",
                        "\"method\": \"rtpghi\"",
                        "\"means\"",
                        "\"sample_rate\": 16000")
                .doesNotContain("corrupt");
        assertThat(recon.resolve("sub/c.spsi.wav")).exists();

        CliTest.Run again = CliTest.run(
                "eval",
                "--methods",
                "spsi",
                "--json",
                json.toString(),
                in.resolve("a.wav").toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err().strip()).endsWith("r.json: exists; pass --force to overwrite");
        CliTest.Run forced = CliTest.run(
                "eval",
                "--methods",
                "spsi",
                "--force",
                "--json",
                json.toString(),
                in.resolve("a.wav").toString());
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(Files.readString(json)).doesNotContain("sub/c");
    }

    @Test
    void evalReadsAManifestOfInputsOnly() throws Exception {
        Path list = dir.resolve("files.txt");
        Files.writeString(list, "in/a.wav\nin/sub/c.wav\n");
        CliTest.Run r = CliTest.run("eval", "--methods", "spsi", "--manifest", list.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Mean over 2 files", "eval: 2 files ok, 0 failed");

        Files.writeString(list, "in/a.wav\tout.wav\n");
        CliTest.Run tab = CliTest.run("eval", "--manifest", list.toString());
        assertThat(tab.code()).isEqualTo(1);
        assertThat(tab.err()).contains("line 1", "inputs only");
    }
}
