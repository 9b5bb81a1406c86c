package dev.phasegrad.cli;

import dev.phasegrad.MelVocoder;
import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.MelToMagnitude;
import dev.phasegrad.invert.Inverter;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --method} / {@code --model} of {@code invert} and {@code stream}, and the one place the CLI
 * builds an inverter from them.
 */
final class MethodOptions {
    @Option(
            names = {"-m", "--method"},
            paramLabel = "M",
            description =
                    "Inversion method (default: phasegrad, also with --features where a model ships for the front end's STFT, else rtpghi-la1; old names such as proposed are accepted; "
                            + "see 'phasegrad methods').")
    String method;

    @Option(
            names = "--model",
            paramLabel = "FILE.pgnn",
            description = "Use a trained model file (from 'phasegrad train') with LS integration instead of --method.")
    Path model;

    /** Read once and shared by every file of a batch: the weights are immutable. */
    private PhaseModel loaded;

    String label() {
        return model != null ? model.toString() : method();
    }

    /** The method without -m: phasegrad, or the mel vocoder's default for log-mel input ({@link #forMel}). */
    private String fallback = "phasegrad";

    /** Log-mel input: without -m the phase method is the one {@link MelVocoder} takes by default. */
    void forMel(FeatureSpec spec) {
        fallback = MelVocoder.Builder.defaultMethod(spec).catalogueName();
    }

    /** The method's catalogue name (the fallback unless -m gave one). */
    String method() {
        return method != null ? method : fallback;
    }

    /**
     * Fails with a one-line message unless the method can run at {@code config}: a known name with
     * a model shipped for these settings, or a readable model file trained for them.
     */
    synchronized void check(StftConfig config) throws IOException {
        if (model != null) {
            if (method != null) {
                throw new Cli.UserError("--model " + model + " and --method " + method + " both choose the method; "
                        + "give one of them");
            }
            if (Files.isDirectory(model)) {
                throw new Cli.UserError(model + ": is a directory, not a model file (.pgnn)");
            }
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
        method = Cli.methodNames(List.of(method())).get(0);
        if (!Methods.get(method).availableAt(config)) {
            throw new Cli.UserError(
                    "method '" + method + "' is not available at " + config + " (no model shipped for it); "
                            + "available: " + String.join(", ", Methods.availableNames(config)));
        }
    }

    /** A new inverter (one per stream or file); {@code truth} only for the oracle methods, else null. */
    Inverter build(StftConfig config, Spectrogram truth) throws IOException {
        check(config);
        return model != null
                ? Methods.network(Cli.baseName(model), loaded, config)
                : Methods.create(method(), config, truth);
    }

    /** The public streaming chain (inverter + ISTFT) for a stream: the method must be causal. */
    PhaseInverter buildStreaming(StftConfig config) throws IOException {
        check(config);
        try {
            PhaseInverter.Builder b = PhaseInverter.builder().stft(config);
            return model != null ? b.model(loaded).build() : b.method(method()).build();
        } catch (IllegalArgumentException e) {
            throw new Cli.UserError(e.getMessage());
        }
    }

    /** A mel vocoder for a stream of log-mel frames of {@code spec}, phase by the method or model file. */
    MelVocoder buildVocoder(FeatureSpec spec, MelToMagnitude inversion) throws IOException {
        check(spec.stft());
        try {
            MelVocoder.Builder b = MelVocoder.builder().features(spec).melToMagnitude(inversion);
            return model != null
                    ? b.model(loaded).build()
                    : b.method(Method.fromName(method())).build();
        } catch (IllegalArgumentException e) {
            throw new Cli.UserError(e.getMessage());
        }
    }
}
