package dev.phasegrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.MelVocoder;
import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.Npy;
import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.features.FeatureGrid;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.features.MelToMagnitude;
import dev.phasegrad.invert.Inverter;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code invert} streams files (read, invert and write block by block) and still writes, bit for bit,
 * what the whole-signal path writes: that path is spelled out here as the reference.
 */
class StreamingInvertTest {
    @TempDir
    static Path dir;

    static Path wav16;
    /** The first second of wav16, for masuyama2023 (14 ms a frame). */
    static Path wav16short;

    static Path wav22;
    static Path npy;
    static Path logNpy;

    @BeforeAll
    static void inputs() throws Exception {
        float[] x = Audio.readResource("/dev/phasegrad/clips/pbx-invalid.wav").samples();
        wav16 = dir.resolve("clip16.wav");
        WavWriter.writePcm16(wav16, x, 16000);
        wav16short = dir.resolve("clip16-short.wav");
        WavWriter.writePcm16(wav16short, Arrays.copyOf(x, 16000), 16000);
        // another rate, odd length: the block-wise resampler and a partial last hop
        wav22 = dir.resolve("clip22.wav");
        float[] y = Audio.readResource("/dev/phasegrad/clips/pbx-invalid.wav")
                .resample(22050)
                .samples();
        WavWriter.writeFloat32(wav22, Arrays.copyOf(y, 40_001), 22050);
        float[][] m = Stft.magnitude(x, StftConfig.DEFAULT);
        npy = dir.resolve("mag.npy");
        Npy.write(npy, m);
        float[][] logs = new float[m.length][m[0].length];
        for (int t = 0; t < m.length; t++) {
            for (int k = 0; k < m[t].length; k++) {
                logs[t][k] = (float) Math.log(Math.max(m[t][k], 1e-8));
            }
        }
        logNpy = dir.resolve("log.npy");
        Npy.write(logNpy, logs);
    }

    /** The whole-signal inversion of a WAV or .npy of magnitudes. */
    static float[] whole(Path in, String method, PhaseModel model, StftConfig config, boolean log) throws Exception {
        Spectrogram truth = null;
        float[][] magnitude;
        int length;
        if (in.toString().endsWith(".npy")) {
            magnitude = log ? Npy.readLogMagnitude(in, config.bins()) : Npy.readMagnitude(in, config.bins());
            length = Math.max(0, magnitude.length * config.hop() - config.analysisSynthesisDelay());
        } else {
            float[] x = Audio.read(in, config.sampleRate()).samples();
            truth = Stft.analyse(x, config);
            magnitude = truth.magnitude();
            length = x.length;
        }
        Inverter inv = model != null ? Methods.network("mine", model, config) : Methods.create(method, config, truth);
        return Stft.synthesise(inv.reconstruct(magnitude, length));
    }

    /** The whole-signal inversion of log-mel features, from a WAV or an .npy. */
    static float[] wholeFeatures(Path in, String method, FeatureSpec spec) throws Exception {
        float[][] mel;
        int length;
        if (in.toString().endsWith(".npy")) {
            mel = Npy.read(in);
            length = FeatureGrid.outputLength(spec, mel.length);
        } else {
            float[] x = Audio.read(in, spec.sampleRate()).samples();
            mel = new LogMelAnalysis(spec).logMel(x);
            length = x.length;
        }
        MelToMagnitude.Worker w = MelVocoder.Builder.defaultMelToMagnitude(spec).newWorker();
        float[][] magnitude = new float[mel.length][spec.bins()];
        for (int t = 0; t < mel.length; t++) {
            w.magnitude(mel[t], magnitude[t]);
        }
        Spectrogram rec = Methods.create(method, spec.stft(), null)
                .reconstruct(magnitude, FeatureGrid.reconstructionLength(spec, mel.length));
        return FeatureGrid.synthesise(rec, spec, length);
    }

    private static float[] invert(String... args) throws Exception {
        Path out = dir.resolve("out-" + System.nanoTime() + ".wav");
        List<String> a = new ArrayList<>(List.of("invert", "--float"));
        a.addAll(List.of(args));
        a.add(out.toString());
        CliTest.Run r = CliTest.run(a.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return Audio.read(out).samples();
    }

    private static void assertBitIdentical(float[] got, float[] expected, String what) {
        assertThat(got.length).as(what + ": length").isEqualTo(expected.length);
        for (int i = 0; i < got.length; i++) {
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(expected[i])) {
                throw new AssertionError(
                        what + ": sample " + i + " is " + got[i] + ", the whole-signal path gives " + expected[i]);
            }
        }
    }

    @Test
    void everyStreamingMethodWritesTheWholeSignalPathsSamplesBitForBit() throws Exception {
        for (String m : List.of(
                "phasegrad",
                "phasegrad-strided",
                "masuyama2023",
                "ls-heuristic-la1",
                "rtpghi",
                "rtpghi-la1",
                "rtisi-la",
                "spsi")) {
            Path in = m.equals("masuyama2023") ? wav16short : wav16;
            assertBitIdentical(
                    invert("-m", m, in.toString()), whole(in, m, null, StftConfig.DEFAULT, false), m + " from a WAV");
        }
        assertBitIdentical(
                invert("-m", "rtpghi-la1", wav22.toString()),
                whole(wav22, "rtpghi-la1", null, StftConfig.DEFAULT, false),
                "a 22.05 kHz WAV");
        StftConfig small = StftConfig.HANN_512_128;
        assertBitIdentical(
                invert("-m", "phasegrad", "--fft", "512", "--hop", "128", wav22.toString()),
                whole(wav22, "phasegrad", null, small, false),
                "phasegrad at 512/128");
        assertBitIdentical(
                invert("-m", "rtisi-la", npy.toString()),
                whole(npy, "rtisi-la", null, StftConfig.DEFAULT, false),
                ".npy magnitudes");
        assertBitIdentical(
                invert("-m", "phasegrad", "--log", logNpy.toString()),
                whole(logNpy, "phasegrad", null, StftConfig.DEFAULT, true),
                ".npy log-magnitudes");

        Path model = dir.resolve("mine.pgnn");
        PhaseModel pm = PhaseModel.builtin("proposed", StftConfig.DEFAULT);
        pm.write(model);
        assertBitIdentical(
                invert("--model", model.toString(), wav16.toString()),
                whole(wav16, null, PhaseModel.read(model), StftConfig.DEFAULT, false),
                "a model file");
    }

    @Test
    void sixteenBitOutputIsTheWholeSignalPathsFileByteForByte() throws Exception {
        Path out = dir.resolve("pcm.wav");
        CliTest.Run r = CliTest.run("invert", "-m", "rtpghi-la1", wav22.toString(), out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Path ref = dir.resolve("ref.wav");
        WavWriter.writePcm16(ref, whole(wav22, "rtpghi-la1", null, StftConfig.DEFAULT, false), 16000);
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(ref));
    }

    @Test
    void featuresStreamThroughTheVocoderBitForBit() throws Exception {
        Path hifiWav = dir.resolve("hifi.wav");
        float[] x = Audio.readResource("/dev/phasegrad/clips/pbx-invalid.wav")
                .resample(22050)
                .samples();
        // a length that is no multiple of the hop: the last samples come from the overlap-add tail
        WavWriter.writeFloat32(hifiWav, Arrays.copyOf(x, 30_123), 22050);
        Path vocosWav = dir.resolve("vocos.wav");
        WavWriter.writeFloat32(
                vocosWav, Arrays.copyOf(Audio.read(hifiWav, 24000).samples(), 29_999), 24000);
        Path mel = dir.resolve("hifi.mel.npy");
        Npy.write(
                mel,
                new LogMelAnalysis(FeatureSpec.HIFIGAN)
                        .logMel(Audio.read(hifiWav).samples()));
        for (String m : List.of("rtpghi-la1", "ls-heuristic")) {
            assertBitIdentical(
                    invert("--features", "hifigan", "-m", m, hifiWav.toString()),
                    wholeFeatures(hifiWav, m, FeatureSpec.HIFIGAN),
                    m + " from a WAV, hifigan");
        }
        assertBitIdentical(
                invert("--features", "vocos", "-m", "rtisi-la", vocosWav.toString()),
                wholeFeatures(vocosWav, "rtisi-la", FeatureSpec.VOCOS),
                "rtisi-la from a WAV, vocos");
        assertBitIdentical(
                invert("--features", "hifigan", "-m", "spsi", mel.toString()),
                wholeFeatures(mel, "spsi", FeatureSpec.HIFIGAN),
                "spsi from an .npy of mel");
    }
}
