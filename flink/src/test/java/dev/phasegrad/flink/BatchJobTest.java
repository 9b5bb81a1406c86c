package dev.phasegrad.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.stft.Stft;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The batch job on a MiniCluster: three clips and a corrupt file. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BatchJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final InverterSpec SPEC = InverterSpec.of(Method.PHASEGRAD);

    /** What the plain library writes for {@code in}: analyse, drop the phase, invert, align, 16-bit WAV. */
    private static byte[] plain(Path in, Path scratch) throws Exception {
        float[] x = Audio.read(in, 16000).samples();
        PhaseInverter inv = SPEC.build();
        float[][] mag = Stft.magnitude(x, SPEC.stft());
        float[] y = new float[mag.length * inv.hop() + inv.latencySamples()];
        int at = 0;
        for (float[] frame : mag) {
            at += inv.push(frame, y, at);
        }
        inv.flush(y, at);
        WavWriter.writePcm16(
                scratch, Arrays.copyOfRange(y, inv.latencySamples(), inv.latencySamples() + x.length), 16000);
        return Files.readAllBytes(scratch);
    }

    @Test
    void threeClipsAreReconstructedAndACorruptFileIsReportedWhileTheJobCompletes(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in/sub"));
        float[] clip =
                Audio.readResource("/dev/phasegrad/clips/auth-incorrect.wav").samples();
        WavWriter.writePcm16(tmp.resolve("in/a.wav"), Arrays.copyOfRange(clip, 0, 16000), 16000);
        WavWriter.writePcm16(tmp.resolve("in/b.wav"), Arrays.copyOfRange(clip, 16000, 40000), 16000);
        WavWriter.writePcm16(in.resolve("c.wav"), Arrays.copyOfRange(clip, 40000, 52000), 16000);
        Files.write(tmp.resolve("in/corrupt.wav"), "RIFF....WAVEnot really".getBytes(StandardCharsets.US_ASCII));
        Path out = tmp.resolve("out");
        Path metrics = tmp.resolve("metrics.tsv");

        List<FileJob> jobs = BatchJob.plan(List.of(tmp.resolve("in").toString()), out);
        List<FileOutcome> outcomes =
                BatchJob.run(StreamExecutionEnvironment.getExecutionEnvironment(), jobs, SPEC, 2, metrics);

        assertThat(outcomes)
                .extracting(o -> Path.of(o.input).getFileName().toString())
                .containsExactly("a.wav", "b.wav", "corrupt.wav", "c.wav");
        FileOutcome bad = outcomes.get(2);
        assertThat(bad.ok).isFalse();
        assertThat(bad.message)
                .startsWith(tmp.resolve("in/corrupt.wav").toString() + ": ")
                .doesNotContain("\n");
        assertThat(out.resolve("corrupt.wav")).doesNotExist();
        for (String name : List.of("a", "b", "sub/c")) {
            Path got = out.resolve(name + ".wav");
            assertThat(Files.readAllBytes(got))
                    .as(name)
                    .isEqualTo(plain(tmp.resolve("in/" + name + ".wav"), tmp.resolve("scratch.wav")));
        }
        assertThat(outcomes)
                .filteredOn(o -> o.ok)
                .allSatisfy(o -> assertThat(o.scDb).isBetween(-60.0, -10.0));
        try (Stream<Path> left = Files.walk(out)) {
            assertThat(left.filter(p -> p.getFileName().toString().endsWith(".tmp")))
                    .isEmpty();
        }
        List<String> table = Files.readAllLines(metrics);
        assertThat(table).hasSize(5);
        assertThat(table.get(0)).isEqualTo(FileOutcome.HEADER);
        assertThat(table.get(3)).contains("corrupt.wav", "\tfalse\t");
    }

    @Test
    void globsManifestsAndCollidingOutputsArePlanned(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("in/x"));
        for (String f : List.of("in/a.wav", "in/x/b.wav", "in/x/c.txt", "in/x/a.wav")) {
            Files.write(tmp.resolve(f), new byte[0]);
        }
        Path out = tmp.resolve("out");
        assertThat(BatchJob.plan(List.of(tmp + "/in/**.wav"), out))
                .extracting(j -> j.output)
                .containsExactly(
                        out.resolve("a.wav").toString(),
                        out.resolve("x/a.wav").toString(),
                        out.resolve("x/b.wav").toString());
        assertThatThrownBy(() -> BatchJob.plan(List.of(tmp + "/in/a.wav", tmp + "/in/x/a.wav"), out))
                .hasMessageContaining("two inputs would be written here");
        assertThatThrownBy(() -> BatchJob.plan(List.of(tmp + "/nope/*.wav"), out))
                .hasMessageContaining("no file matches");
        Path manifest = tmp.resolve("jobs.tsv");
        Files.writeString(manifest, "# clips\nin/a.wav\tdone/first.wav\n\nin/x/b.wav\n");
        assertThat(BatchJob.manifest(manifest, out))
                .extracting(j -> j.output)
                .containsExactly(
                        tmp.resolve("done/first.wav").toString(),
                        out.resolve("b.wav").toString());
    }
}
