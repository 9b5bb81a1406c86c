package dev.phasegrad.cli;

import dev.phasegrad.invert.Inverter;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.invert.StreamingInverter;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --method} / {@code --model} of {@code invert} and {@code stream}, and the one place the CLI
 * builds an inverter from them: the streaming API is being reworked, so only this class (and the
 * stream loop's push) knows how an inverter is made.
 */
final class MethodOptions {
    @Option(names = {"-m", "--method"}, paramLabel = "M",
            description = "Inversion method (default: ${DEFAULT-VALUE}; see 'phasegrad methods').")
    String method = "proposed";

    @Option(names = "--model", paramLabel = "FILE.pgnn",
            description = "Use a trained model file (from 'phasegrad train') with LS integration instead of --method.")
    Path model;

    /** Read once and shared by every file of a batch: the weights are immutable. */
    private PhaseModel loaded;

    String label() {
        return model != null ? model.toString() : method;
    }

    /**
     * Fails with a one-line message unless the method can run at {@code config}: a known name with
     * a model shipped for these settings, or a readable model file trained for them.
     */
    synchronized void check(StftConfig config) throws IOException {
        if (model != null) {
            if (!Files.isRegularFile(model)) {
                throw new Cli.UserError(model + ": no such model file");
            }
            if (loaded == null) {
                loaded = PhaseModel.read(model);
            }
            if (!loaded.config().equals(config)) {
                throw new Cli.UserError("model " + model + " is for STFT " + loaded.config() + ", not " + config
                        + "; pass the matching --fft/--hop/--win/--rate");
            }
            return;
        }
        if (!Methods.get(method).available().test(config)) {
            throw new Cli.UserError("method '" + method + "' is not available at " + config + " (no model shipped for it); "
                    + "available: " + String.join(", ", Methods.availableNames(config)));
        }
    }

    /** A new inverter (one per stream or file); {@code truth} only for the oracle methods, else null. */
    Inverter build(StftConfig config, Spectrogram truth) throws IOException {
        check(config);
        return model != null ? Methods.network(Cli.baseName(model), loaded, config) : Methods.create(method, config, truth);
    }

    /** {@link #build} for a stream: the method must be causal (no offline or oracle method). */
    StreamingInverter buildStreaming(StftConfig config) throws IOException {
        if (model == null && Methods.get(method).needsTruth()) {
            throw new Cli.UserError("method '" + method + "' needs the original signal; a stream has only magnitudes");
        }
        Inverter inv = build(config, null);
        if (!(inv instanceof StreamingInverter)) {
            throw new Cli.UserError("method '" + method + "' is offline (needs the whole spectrogram) and cannot stream; "
                    + "streaming methods: " + String.join(", ", streamingNames(config)));
        }
        return (StreamingInverter) inv;
    }

    private static java.util.List<String> streamingNames(StftConfig config) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String m : Methods.availableNames(config)) {
            Methods.Method entry = Methods.get(m);
            if (!entry.needsTruth() && entry.factory().create(config, null) instanceof StreamingInverter) {
                out.add(m);
            }
        }
        return out;
    }
}
