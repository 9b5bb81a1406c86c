package dev.phasegrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.Npy;
import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.features.FeatureGrid;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.features.MelRefiner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --features}: log-mel in, audio out, for invert, stream and eval. */
class FeaturesCliTest {
    @TempDir
    static Path dir;

    static Path wav;
    static Path mel;
    static int frames;

    @BeforeAll
    static void clip() throws Exception {
        // two seconds of the embedded clip at the hifigan rate, and its HiFi-GAN log-mel
        float[] x = Arrays.copyOf(
                Audio.readResource("/dev/phasegrad/clips/pbx-invalid.wav")
                        .resample(22050)
                        .samples(),
                44100);
        wav = dir.resolve("clip.wav");
        WavWriter.writeFloat32(wav, x, 22050, false);
        float[][] features = new LogMelAnalysis(FeatureSpec.HIFIGAN).logMel(x);
        frames = features.length;
        mel = dir.resolve("clip.mel.npy");
        Npy.write(mel, features);
    }

    @Test
    void streamOfMelFramesIsInvertOfTheSameNpyBitForBitAtTheVocodersLength() throws Exception {
        Path out = dir.resolve("inverted.wav");
        CliTest.Run r = CliTest.run(
                "invert", "--features", "hifigan", "-m", "rtpghi-la1", "--float", mel.toString(), out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Audio inverted = Audio.read(out);
        assertThat(inverted.sampleRate()).isEqualTo(22050);
        assertThat(inverted.length())
                .isEqualTo(FeatureGrid.outputLength(FeatureSpec.HIFIGAN, frames))
                .isEqualTo(frames * 256);

        StreamCommandTest.Piped s = StreamCommandTest.pipe(
                Files.readAllBytes(mel), "stream", "--features", "hifigan", "-m", "rtpghi-la1", "--format", "f32le");
        assertThat(s.code()).as(s.err()).isZero();
        ByteBuffer b = ByteBuffer.wrap(s.out()).order(ByteOrder.LITTLE_ENDIAN);
        float[] streamed = new float[s.out().length / 4];
        b.asFloatBuffer().get(streamed);
        assertThat(streamed).containsExactly(inverted.samples());
    }

    @Test
    void aWavIsAnalysedWithTheFrontEndAndComesBackAtItsOwnLength() throws Exception {
        Path out = dir.resolve("from-wav.wav");
        CliTest.Run r = CliTest.run("invert", "--features", "vocos", "-m", "spsi", wav.toString(), out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Audio a = Audio.read(out);
        assertThat(a.sampleRate()).isEqualTo(24000);
        assertThat(a.length()).isEqualTo(48000); // 2 s, resampled to the preset's rate
    }

    @Test
    void evalWithTheTrueMagnitudeAndTruePhaseIsExactSoTheAlignmentHolds() {
        CliTest.Run r =
                CliTest.run("eval", "--features", "hifigan", "--true-magnitude", "--methods", "oracle", wav.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String row =
                r.out().lines().filter(l -> l.startsWith("oracle")).findFirst().orElseThrow();
        double snr = Double.parseDouble(row.trim().split("\\s+")[7]);
        assertThat(snr).as(row).isGreaterThan(60);
        // from the mel the magnitude is an estimate: no longer exact
        CliTest.Run nnls = CliTest.run("eval", "--features", "hifigan", "--methods", "oracle", wav.toString());
        String nrow = nnls.out()
                .lines()
                .filter(l -> l.startsWith("oracle"))
                .findFirst()
                .orElseThrow();
        assertThat(Double.parseDouble(nrow.trim().split("\\s+")[7])).as(nrow).isLessThan(snr - 10);
    }

    @Test
    void withoutAMethodMelInputTakesPhasegradWhereAModelShipsElseRtpghiWithOneFrameOfLookAhead() {
        CliTest.Run r = CliTest.run(
                "invert",
                "--features",
                "hifigan",
                mel.toString(),
                dir.resolve("default.wav").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("phasegrad").doesNotContain("rtpghi");
        CliTest.Run custom = CliTest.run(
                "invert",
                "--features",
                "hifigan,rate=44100",
                mel.toString(),
                dir.resolve("custom.wav").toString());
        assertThat(custom.code()).as(custom.err()).isZero();
        assertThat(custom.out()).contains("rtpghi-la1");
    }

    @Test
    void mismatchesAreOneLineErrors() {
        CliTest.Run log = CliTest.run(
                "invert",
                "--features",
                "hifigan",
                "--log",
                "-m",
                "spsi",
                mel.toString(),
                dir.resolve("x.wav").toString());
        assertThat(log.code()).isEqualTo(1);
        assertThat(log.err()).contains("--log does not apply with --features").doesNotContain("\tat ");

        CliTest.Run bands = CliTest.run(
                "invert",
                "--features",
                "vocos",
                "-m",
                "spsi",
                mel.toString(),
                dir.resolve("y.wav").toString());
        assertThat(bands.code()).isEqualTo(1);
        assertThat(bands.err()).contains("frames of 80 values, vocos has 100 bands");

        CliTest.Run stft = CliTest.run(
                "invert",
                "--features",
                "hifigan",
                "--fft",
                "512",
                "--hop",
                "128",
                "-m",
                "spsi",
                mel.toString(),
                dir.resolve("z.wav").toString());
        assertThat(stft.code()).isEqualTo(1);
        assertThat(stft.err()).contains("fixes the STFT");

        CliTest.Run spec = CliTest.run(
                "invert",
                "--features",
                "hifigan,bands=many",
                mel.toString(),
                dir.resolve("w.wav").toString());
        assertThat(spec.code()).isEqualTo(1);
        assertThat(spec.err()).contains("bands must be an integer, got 'many'");
    }

    @Test
    void theRefinerIsTheDefaultMelStepAndNoneOrAFileReplaceIt() throws Exception {
        Path auto = dir.resolve("auto.wav");
        Path none = dir.resolve("none.wav");
        Path file = dir.resolve("file.wav");
        Path refiner = dir.resolve("hifigan-refiner.pgnn");
        MelRefiner.builtin("hifigan").model().write(refiner);
        for (String[] run : new String[][] {
            {"--features", "hifigan", mel.toString(), auto.toString()},
            {"--features", "hifigan", "--refiner", "none", mel.toString(), none.toString()},
            {"--features", "hifigan", "--refiner", refiner.toString(), mel.toString(), file.toString()}
        }) {
            List<String> a = new ArrayList<>(List.of("invert", "--float", "-m", "rtpghi-la1"));
            a.addAll(List.of(run));
            CliTest.Run r = CliTest.run(a.toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isZero();
        }
        float[] refined = Audio.read(auto).samples();
        assertThat(Audio.read(file).samples()).containsExactly(refined);
        assertThat(Audio.read(none).samples()).hasSameSizeAs(refined).isNotEqualTo(refined);

        CliTest.Run missing = CliTest.run(
                "invert",
                "--features",
                "hifigan",
                "--refiner",
                dir.resolve("nope.pgnn").toString(),
                mel.toString(),
                dir.resolve("m.wav").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err())
                .contains("--refiner", "nope.pgnn", "no such file")
                .doesNotContain("\tat ");
        Path vocos = dir.resolve("vocos-refiner.pgnn");
        MelRefiner.builtin("vocos").model().write(vocos);
        CliTest.Run other = CliTest.run(
                "invert",
                "--features",
                "hifigan",
                "--refiner",
                vocos.toString(),
                mel.toString(),
                dir.resolve("o.wav").toString());
        assertThat(other.code()).isEqualTo(1);
        assertThat(other.err()).contains("trained on vocos features, not on --features hifigan");
    }

    @Test
    void benchMelTimesBothPresetsAndWritesJson() throws Exception {
        Path json = dir.resolve("mel-bench.json");
        CliTest.Run r = CliTest.run(
                "bench", "mel", "--methods", "spsi", "--rounds", "1", "--warmup", "0", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("hifigan", "vocos", "spsi", "mel->mag us", "refiner");
        assertThat(Files.readString(json))
                .contains("\"features\": \"hifigan\"", "\"features\": \"vocos\"", "\"mel_to_magnitude_us\"");
    }
}
