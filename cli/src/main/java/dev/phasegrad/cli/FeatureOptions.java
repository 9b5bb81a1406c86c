package dev.phasegrad.cli;

import dev.phasegrad.MelVocoder;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.MelFilterbank;
import dev.phasegrad.features.MelInversion;
import dev.phasegrad.features.MelRefiner;
import dev.phasegrad.features.MelToMagnitude;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --features}: the frames are log-mel features of a vocoder front end, not STFT magnitudes.
 * The front end fixes the sample rate and STFT, so it takes the place of --fft/--hop/--win/--rate.
 */
final class FeatureOptions {
    @Option(
            names = "--features",
            paramLabel = "SPEC",
            description = "Log-mel input of a vocoder front end: hifigan (22.05 kHz, 80 bands), vocos (24 kHz, 100 "
                    + "bands), or a custom spec such as 'vocos,bands=80,fmax=8000' (docs/FEATURES.md). Sets the rate "
                    + "and STFT.")
    String features;

    @Option(
            names = "--nnls-iterations",
            paramLabel = "N",
            hidden = true,
            description =
                    "Projected-gradient steps of the mel -> magnitude solve per frame (default ${DEFAULT-VALUE}).")
    int iterations = MelInversion.DEFAULT_ITERATIONS;

    @Option(
            names = "--refiner",
            paramLabel = "auto|none|FILE",
            description = "Mel -> magnitude step: auto (default) = the preset's built-in mel refiner when one ships "
                    + "for exactly these features, else NNLS alone; none = NNLS alone (librosa's mel_to_stft); "
                    + "or a refiner trained with 'phasegrad train --kind mel-refiner'.")
    String refiner = "auto";

    private FeatureSpec spec;
    private MelToMagnitude inversion;

    boolean active() {
        return features != null;
    }

    /** The front end; null without --features. */
    FeatureSpec spec() {
        if (features == null) {
            return null;
        }
        if (spec == null) {
            try {
                spec = FeatureSpec.parse(features);
            } catch (IllegalArgumentException e) {
                throw new Cli.UserError("--features: " + e.getMessage());
            }
        }
        return spec;
    }

    /** The STFT the command runs at: the front end's with --features (refusing other explicit settings), else --fft/--hop. */
    StftConfig config(StftOptions stft) {
        if (features == null) {
            return stft.config();
        }
        StftConfig given = stft.config();
        StftConfig fixed = spec().stft();
        if (!given.equals(StftConfig.DEFAULT) && !given.equals(fixed)) {
            throw new Cli.UserError(
                    "--features " + features + " fixes the STFT to " + fixed + "; drop --fft/--hop/--win/--rate");
        }
        return fixed;
    }

    /** The mel → magnitude step (--refiner), made once and shared by every file and thread. */
    synchronized MelToMagnitude inversion() {
        if (inversion == null) {
            if (iterations < 0) {
                throw new Cli.UserError("--nnls-iterations must be >= 0, got " + iterations);
            }
            FeatureSpec s = spec();
            MelInversion nnls = new MelInversion(s, new MelFilterbank(s), iterations);
            inversion = switch (refiner) {
                case "none" -> nnls;
                case "auto" ->
                    iterations == MelInversion.DEFAULT_ITERATIONS ? MelVocoder.Builder.defaultMelToMagnitude(s) : nnls;
                default -> readRefiner(Path.of(refiner), s);
            };
        }
        return inversion;
    }

    private static MelRefiner readRefiner(Path file, FeatureSpec s) {
        if (!Files.isRegularFile(file)) {
            throw new Cli.UserError("--refiner " + file + ": no such file (auto, none or a mel refiner file)");
        }
        MelRefiner r;
        try {
            r = MelRefiner.read(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new Cli.UserError("--refiner " + file + ": " + e.getMessage());
        }
        if (!r.spec().equals(s)) {
            throw new Cli.UserError("--refiner " + file + " was trained on "
                    + r.spec().name() + " features, not on --features " + s.name());
        }
        return r;
    }
}
