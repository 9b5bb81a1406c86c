package dev.phasegrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.Npy;
import dev.phasegrad.metrics.Stoi;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void demoWritesTableWavsPicturesAndJson() throws Exception {
        Path out = dir.resolve("demo");
        Run r = run("demo", "--methods", "oracle,rtpghi-la1,spsi", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("ESTOI", "oracle", "rtpghi-la1", "spsi");
        assertThat(out.resolve("auth-incorrect.rtpghi-la1.wav")).exists();
        assertThat(out.resolve("spectrograms.png")).exists();
        assertThat(out.resolve("estoi.png")).exists();
        assertThat(Files.readString(out.resolve("report.json"))).contains("\"method\": \"spsi\"", "\"estoi\"");
    }

    @Test
    void invertRoundTripFromWav() throws Exception {
        Path demo = dir.resolve("d");
        assertThat(run("demo", "--methods", "oracle", "--out", demo.toString()).code())
                .isZero();
        Path in = demo.resolve("auth-incorrect.original.wav");
        Path out = dir.resolve("out.wav");
        Run r = run("invert", "--method", "rtpghi", "--fft", "512", "--hop", "128", in.toString(), out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.size(out)).isGreaterThan(44);
    }

    @Test
    void missingFileIsOneLineErrorWithNonZeroExit() {
        Run r = run(
                "invert",
                dir.resolve("nope.wav").toString(),
                dir.resolve("o.wav").toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip()).contains("nope.wav").doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void nonWavIsOneLineError() throws Exception {
        Path bad = dir.resolve("notes.wav");
        Files.writeString(bad, "this is text, not audio\n");
        Run r = run("eval", "--methods", "spsi", bad.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip()).contains("notes.wav").doesNotContain("\n").doesNotContain("at dev.");
        Path out = dir.resolve("never.wav");
        run("invert", bad.toString(), out.toString());
        assertThat(out).doesNotExist();
    }

    @Test
    void npyWithWrongBinCountOrNaNIsOneLineErrorAndNoOutput() throws Exception {
        Path wrong = dir.resolve("wrong.npy");
        Npy.write(wrong, new float[10][257]);
        Path out = dir.resolve("o.wav");
        Run r = run("invert", "--method", "spsi", wrong.toString(), out.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip()).contains("wrong.npy", "513", "257").doesNotContain("\n");
        assertThat(out).doesNotExist();

        // Npy.write refuses NaN, so patch one float32 of a valid file (data is the file's tail)
        Path nan = dir.resolve("nan.npy");
        Npy.write(nan, new float[10][513]);
        byte[] bytes = Files.readAllBytes(nan);
        int at = bytes.length - 10 * 513 * 4 + (3 * 513 + 40) * 4;
        int bits = Float.floatToRawIntBits(Float.NaN);
        for (int i = 0; i < 4; i++) {
            bytes[at + i] = (byte) (bits >>> (8 * i));
        }
        Files.write(nan, bytes);
        r = run("invert", "--method", "spsi", nan.toString(), out.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip())
                .contains("nan.npy", "NaN", "frame 3", "bin 40")
                .doesNotContain("\n");
        assertThat(out).doesNotExist();
    }

    @Test
    void npyMagnitudesInvertDirectly() throws Exception {
        float[] x = Audio.readResource("/dev/phasegrad/clips/pbx-invalid.wav").samples();
        Path npy = dir.resolve("mag.npy");
        Npy.write(npy, Stft.magnitude(x, StftConfig.DEFAULT));
        Path out = dir.resolve("o.wav");
        Run r = run("invert", "--method", "rtpghi-la1", npy.toString(), out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        float[] y = Audio.read(out).samples();
        assertThat(Stoi.estoi(x, y, 16000)).isGreaterThan(0.95);
    }

    @Test
    void evalScoresAModelFileBesideTheBuiltInsAndRejectsMismatches() throws Exception {
        Path demo = dir.resolve("d");
        assertThat(run("demo", "--methods", "oracle", "--out", demo.toString()).code())
                .isZero();
        String wav = demo.resolve("auth-incorrect.original.wav").toString();
        Path model = dir.resolve("mine.pgnn");
        PhaseModel.builtin("proposed", StftConfig.HANN_512_128).write(model);

        Run r = run(
                "eval",
                "--methods",
                "proposed",
                "--model",
                model.toString(),
                "--fft",
                "512",
                "--hop",
                "128",
                "--json",
                dir.resolve("e.json").toString(),
                wav);
        assertThat(r.code()).as(r.err()).isZero();
        String json = Files.readString(dir.resolve("e.json"));
        // the old name is accepted and reported under the current one
        assertThat(json)
                .contains("\"method\": \"phasegrad\"", "\"method\": \"mine\"")
                .doesNotContain("proposed");
        // the same weights through the same LS: the file's row equals the built-in's
        assertThat(estoiOf(json, "mine")).isEqualTo(estoiOf(json, "phasegrad"));

        Run wrongStft = run("eval", "--model", model.toString(), wav);
        assertThat(wrongStft.code()).isNotZero();
        assertThat(wrongStft.err().strip()).contains("mine", "512", "1024").doesNotContain("\n");

        Path shadow = dir.resolve("spsi.pgnn");
        Files.copy(model, shadow);
        Run clash = run("eval", "--model", shadow.toString(), "--fft", "512", "--hop", "128", wav);
        assertThat(clash.code()).isNotZero();
        assertThat(clash.err()).contains("built-in method");
    }

    @Test
    void benchWritesJsonAndChartAndRejectsAModelForOtherStftSettings() throws Exception {
        Path json = dir.resolve("b.json");
        Path png = dir.resolve("b.png");
        Run r = run(
                "bench",
                "stages",
                "--methods",
                "spsi",
                "--rounds",
                "1",
                "--warmup",
                "0",
                "--json",
                json.toString(),
                "--png",
                png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("spsi", "B/frame");
        assertThat(Files.readString(json)).contains("\"method\": \"spsi\"", "\"fft\": 512", "\"fft\": 1024");
        assertThat(ImageIO.read(png.toFile())).isNotNull();

        Path odd = dir.resolve("odd.pgnn");
        PhaseModel m = PhaseModel.builtin("proposed", StftConfig.DEFAULT);
        new PhaseModel(
                        m.kind(),
                        StftConfig.hann(256, 64),
                        m.features(),
                        m.inputFrames(),
                        m.stride(),
                        m.lsP(),
                        m.lsGamma0(),
                        m.info(),
                        m.networks(),
                        m.params())
                .write(odd);
        Run bad = run("bench", "stages", "--methods", "spsi", "--model", odd.toString());
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err().strip()).contains("odd", "256").doesNotContain("\n");
    }

    private static String estoiOf(String json, String method) {
        int at = json.indexOf("\"method\": \"" + method + "\"");
        int e = json.indexOf("\"estoi\":", at);
        return json.substring(e, json.indexOf(',', e));
    }

    @Test
    void unknownMethodListsTheKnownOnes() {
        Run r = run("demo", "--methods", "magic", "--out", dir.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("unknown method 'magic'", "rtpghi");
    }

    @Test
    void methodsListsTheProductNamesAndTheOldNamesTheyReplace() {
        Run r = run("methods");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("phasegrad ", "phasegrad-strided", "masuyama2023", "fgla-100")
                .containsPattern("proposed +-> phasegrad\\n")
                .containsPattern("proposed-strided +-> phasegrad-strided")
                .containsPattern("prior-sota +-> masuyama2023")
                .containsPattern("rtisi-la +streaming")
                .containsPattern("pghi +offline")
                .containsPattern("ls-oracle +oracle");
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (String c : new String[] {"demo", "invert", "stream", "eval", "methods", "soak"}) {
            Run r = run(c, "--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).as(c).contains("Example");
        }
    }
}
