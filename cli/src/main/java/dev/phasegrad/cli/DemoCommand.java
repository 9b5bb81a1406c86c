package dev.phasegrad.cli;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.eval.MethodResult;
import dev.phasegrad.stft.StftConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run 'eval' with every method on the embedded speech clip (Asterisk prompt, CC BY-SA 3.0),",
            "print the quality/speed table and write the reconstructions (WAV), spectrogram and",
            "ESTOI pictures (PNG) and report.json into a folder."
        },
        footer = {
            "",
            "Examples:",
            "  phasegrad demo                      # Hann 1024 / hop 256, writes ./demo-out/",
            "  phasegrad demo --fft 512 --hop 128 --out demo-512",
            "  phasegrad demo --clip pbx-invalid --methods phasegrad,rtpghi-la1"
        })
final class DemoCommand implements Callable<Integer> {
    static final List<String> CLIPS = List.of("auth-incorrect", "pbx-invalid");

    @Mixin
    StftOptions stft = new StftOptions();

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("demo-out");

    @Option(
            names = "--clip",
            paramLabel = "NAME",
            description = "Embedded clip: auth-incorrect (default) or pbx-invalid.")
    String clip = "auth-incorrect";

    @Option(names = "--methods", paramLabel = "M[,M...]", split = ",", description = "Methods, or 'all' (default).")
    List<String> methods = List.of("all");

    @Override
    public Integer call() throws Exception {
        if (!CLIPS.contains(clip)) {
            throw new Cli.UserError("unknown clip '" + clip + "'; embedded clips: " + String.join(", ", CLIPS));
        }
        StftConfig config = stft.config();
        float[] x = Audio.readResource("/dev/phasegrad/clips/" + clip + ".wav")
                .resample(config.sampleRate())
                .samples();
        List<String> names = EvalCommand.resolveMethods(methods, config);
        Files.createDirectories(out);
        List<MethodResult> rows = EvalCommand.evaluate(List.of(new EvalCommand.Named(clip, x)), names, config, out);
        WavWriter.writePcm16(out.resolve(clip + ".original.wav"), x, config.sampleRate());
        Report.printTable(
                System.out,
                "demo: " + clip + String.format(" (%.2f s, embedded clip)", x.length / (double) config.sampleRate()),
                config,
                rows);
        Report.writeJson(out.resolve("report.json"), config, rows, rows);
        Pictures.spectrograms(out.resolve("spectrograms.png"), x, rows, config);
        Pictures.estoiChart(out.resolve("estoi.png"), rows, config);
        System.out.println("\nwrote " + out.toAbsolutePath() + ": " + clip + ".<method>.wav, " + clip
                + ".original.wav, spectrograms.png, estoi.png, report.json");
        System.out.println("us/frame = phase reconstruction only, one run after a warm-up; for careful "
                + "side-by-side timing use 'phasegrad bench'.");
        return 0;
    }
}
