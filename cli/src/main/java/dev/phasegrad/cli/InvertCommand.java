package dev.phasegrad.cli;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.Npy;
import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.invert.Inverter;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "invert", mixinStandardHelpOptions = true,
        description = {"Reconstruct a waveform from STFT magnitudes.",
                "From a WAV: analyse it, discard the phase, reconstruct (the usual evaluation loop).",
                "From a .npy magnitude spectrogram (float32 or float64, shape [frames, N/2+1], C order,",
                "in phasegrad's frame grid and STFT settings): reconstruct it directly."},
        footer = {"", "Examples:",
                "  phasegrad invert speech.wav out.wav",
                "  phasegrad invert --method rtpghi --fft 512 --hop 128 speech.wav out.wav",
                "  phasegrad invert --log model_output.npy out.wav     # .npy holds ln|X|",
                "  phasegrad invert --model runs/phasegrad/best.pgnn speech.wav out.wav"})
final class InvertCommand implements Callable<Integer> {
    @Mixin
    StftOptions stft = new StftOptions();

    @Option(names = {"-m", "--method"}, paramLabel = "M",
            description = "Inversion method (default: ${DEFAULT-VALUE}; old names such as proposed are accepted; "
                    + "see 'phasegrad methods').")
    String method = "phasegrad";

    @Option(names = "--model", paramLabel = "FILE.pgnn",
            description = "Use a trained model file (from 'phasegrad train') with LS integration instead of --method.")
    Path model;

    @Option(names = "--log", description = "The .npy holds natural-log magnitudes ln|X| (exp is applied).")
    boolean log;

    @Option(names = "--float", description = "Write 32-bit float WAV instead of 16-bit PCM.")
    boolean float32;

    @Parameters(index = "0", paramLabel = "IN", description = "Input .wav or .npy magnitude file.")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT.wav", description = "Output WAV file.")
    Path output;

    @Override
    public Integer call() throws Exception {
        StftConfig config = stft.config();
        if (!Files.exists(input)) {
            throw new Cli.UserError(input + ": no such file");
        }
        method = Cli.methodNames(java.util.List.of(method)).get(0);
        if (model == null && !Methods.get(method).availableAt(config)) {
            throw new Cli.UserError("method '" + method + "' is not available at " + config + " (no model shipped for it); "
                    + "available: " + String.join(", ", Methods.availableNames(config)));
        }
        String name = input.getFileName().toString().toLowerCase();
        Spectrogram truth = null;
        float[][] magnitude;
        int length;
        if (name.endsWith(".npy")) {
            magnitude = log ? Npy.readLogMagnitude(input, config.bins()) : Npy.readMagnitude(input, config.bins());
            length = Math.max(0, magnitude.length * config.hop() - config.analysisSynthesisDelay());
        } else {
            if (log) {
                throw new Cli.UserError("--log applies to .npy magnitude input only, not to " + input);
            }
            float[] x = Audio.read(input, config.sampleRate()).samples();
            truth = Stft.analyse(x, config);
            magnitude = truth.magnitude();
            length = x.length;
        }
        if (magnitude.length == 0) {
            throw new Cli.UserError(input + ": no frames to invert");
        }
        String label = model != null ? model.toString() : method;
        Inverter inv = model != null
                ? Methods.network(Cli.baseName(model), dev.phasegrad.nn.PhaseModel.read(model), config)
                : Methods.create(method, config, truth);
        float[] y = Stft.synthesise(inv.reconstruct(magnitude, length));
        int clipped = 0;
        if (float32) {
            WavWriter.writeFloat32(output, y, config.sampleRate());
        } else {
            clipped = WavWriter.writePcm16(output, y, config.sampleRate());
        }
        System.out.printf("%s: %d frames -> %s (%.2f s, %s, %s)%n", input, magnitude.length, output,
                y.length / (double) config.sampleRate(), label, config);
        if (clipped > 0) {
            System.err.printf("warning: %d samples clipped to [-1, 1) in 16-bit output; use --float to keep them%n",
                    clipped);
        }
        return 0;
    }
}
