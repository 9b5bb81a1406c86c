package dev.phasegrad.train;

import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.MelInversion;
import dev.phasegrad.features.MelToMagnitude;
import dev.phasegrad.stft.StftConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * Settings of one training run; fluent setters, defaults as stated. Validated by {@link #validate()}.
 */
public final class TrainConfig {
    /** Default exponent of a mel refiner's loss weights (true magnitude / loudest)^p. */
    public static final double DEFAULT_WEIGHT_POWER = 0.5;

    /** Model family: "proposed" (default), "proposed-strided", "prior-sota", "mel-refiner". */
    public String kind = Architectures.PROPOSED;
    /**
     * The log-mel features of the mel path (their STFT replaces {@link #stft}): what a mel refiner
     * inverts, or, for a phase model, the features whose estimated magnitude ({@link #melInput}) the
     * network reads instead of the true one.
     */
    public FeatureSpec features = null;
    /**
     * Phase models with {@link #features}: the mel → magnitude step that gives the network its input
     * (the preset's refiner, as {@code MelVocoder} uses it); null for a model of true magnitudes.
     */
    public MelToMagnitude melInput = null;
    /**
     * Mel refiner only: loss on the log-magnitude correction. L1 was chosen on validation (16 kHz
     * corpus, hifigan-like features, 60k example passes): ESTOI 0.9864, SC −20.6 dB against 0.9852,
     * −19.1 dB for L2, both with weight power 0.5.
     */
    public MagnitudeLoss magnitudeLoss = MagnitudeLoss.L1;
    /**
     * Mel refiner only: exponent of the per-bin loss weights, (true magnitude / file's loudest)^p;
     * 0.5 scored ESTOI 0.9864 against 0.9858 for 1 in the same comparison.
     */
    public double weightPower = DEFAULT_WEIGHT_POWER;
    /** Mel refiner only: NNLS iterations of its input (recorded in the model). */
    public int nnlsIterations = MelInversion.DEFAULT_ITERATIONS;
    /** STFT settings the model is trained for (default Hann 1024 / hop 256 @ 16 kHz). */
    public StftConfig stft = StftConfig.DEFAULT;
    /** Channel width of the trunk; ≤ 0 means the family default (22, prior-sota 64). */
    public int channels = 0;
    /** Directories of training WAVs (each searched recursively); required when training from a corpus. */
    public List<Path> trainDirs = List.of();
    /** Directory of validation WAVs (searched recursively); never the test split; required with {@link #trainDirs}. */
    public Path validationDir;
    /** Output directory: checkpoint.bin, last.pgnn, best.pgnn, history.tsv. */
    public Path outDir = Path.of("train-out");
    /** Training examples (frames) drawn once from the training corpus and used every epoch. */
    public long examples = 60_000;
    /** Validation examples (frames) for the validation loss. */
    public long validationExamples = 4_000;

    public int epochs = 10;
    public int batch = 32;
    public double learningRate = 2e-3;
    /** Final learning rate as a fraction of {@link #learningRate} (cosine decay). */
    public double finalLearningRateFraction = 0.05;

    public int warmupSteps = 100;
    public double clipNorm = 5.0;
    public long seed = 1;
    public int threads = 2;
    /** Stop after the epoch during which this many minutes have passed (≤ 0: no limit). */
    public double maxMinutes = 0;
    /**
     * Integrator for the per-epoch reconstruction check on {@link #reconstructionFiles} validation
     * files (ESTOI and SC with the model's LS defaults); null skips the check.
     */
    public Evaluation.IntegratorFactory integrator = null;
    /** Validation files (2–6 s excerpts) reconstructed after every epoch when an integrator is set. */
    public int reconstructionFiles = 6;
    /** Continue from outDir/checkpoint.bin when it exists. */
    public boolean resume = false;

    public TrainConfig kind(String v) {
        kind = v;
        return this;
    }

    public TrainConfig stft(StftConfig v) {
        stft = v;
        return this;
    }

    public TrainConfig channels(int v) {
        channels = v;
        return this;
    }

    public TrainConfig trainDirs(Path... v) {
        trainDirs = List.of(v);
        return this;
    }

    public TrainConfig validationDir(Path v) {
        validationDir = v;
        return this;
    }

    public TrainConfig outDir(Path v) {
        outDir = v;
        return this;
    }

    public TrainConfig examples(long v) {
        examples = v;
        return this;
    }

    public TrainConfig epochs(int v) {
        epochs = v;
        return this;
    }

    public TrainConfig batch(int v) {
        batch = v;
        return this;
    }

    public TrainConfig learningRate(double v) {
        learningRate = v;
        return this;
    }

    public TrainConfig seed(long v) {
        seed = v;
        return this;
    }

    public TrainConfig threads(int v) {
        threads = v;
        return this;
    }

    public TrainConfig maxMinutes(double v) {
        maxMinutes = v;
        return this;
    }

    public TrainConfig resume(boolean v) {
        resume = v;
        return this;
    }

    /** Mel features to refine; also sets {@link #stft} to theirs. */
    public TrainConfig features(FeatureSpec v) {
        features = v;
        if (v != null) {
            stft = v.stft();
        }
        return this;
    }

    public void validate() {
        if (examples < 1 || validationExamples < 1) {
            throw new IllegalArgumentException("examples and validation examples must be >= 1");
        }
        if (epochs < 1 || batch < 1 || threads < 1) {
            throw new IllegalArgumentException(
                    "epochs, batch and threads must be >= 1, got " + epochs + ", " + batch + ", " + threads);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        boolean refiner = Architectures.MEL_REFINER.equals(kind);
        if (refiner && features == null) {
            throw new IllegalArgumentException("a " + kind + " needs the mel features it inverts (--features hifigan, "
                    + "vocos or a custom spec)");
        }
        if (!refiner && (features == null) != (melInput == null)) {
            throw new IllegalArgumentException(
                    "a phase model of the mel path needs both the features and their mel → magnitude step");
        }
        if (melInput != null && !melInput.spec().equals(features)) {
            throw new IllegalArgumentException("the mel → magnitude step reads "
                    + melInput.spec().name() + " features, the run trains on " + features.name());
        }
        if (features != null && !features.stft().equals(stft)) {
            throw new IllegalArgumentException("the STFT " + stft + " differs from the features' " + features.stft());
        }
        if (refiner && (!(weightPower >= 0) || weightPower > 4 || nnlsIterations < 0)) {
            throw new IllegalArgumentException("weight power must be in [0, 4] and NNLS iterations >= 0, got "
                    + weightPower + ", " + nnlsIterations);
        }
        // the directories themselves are required where a corpus is loaded (Trainer.run)
        Path val = validationDir == null ? null : validationDir.toAbsolutePath().normalize();
        for (Path t : val == null ? List.<Path>of() : trainDirs) {
            Path tn = t.toAbsolutePath().normalize();
            if (tn.startsWith(val) || val.startsWith(tn)) {
                throw new IllegalArgumentException(
                        "training directory " + t + " overlaps the validation directory " + validationDir);
            }
        }
    }

    @Override
    public String toString() {
        return "kind=" + kind
                + (features != null
                        ? " features=" + features.describe() + " loss=" + magnitudeLoss + " weightPower=" + weightPower
                                + " nnlsIterations=" + nnlsIterations
                        : "")
                + " stft=" + stft + " channels=" + channels + " train=" + trainDirs + " validation="
                + validationDir + " out=" + outDir + " examples=" + examples + " validationExamples="
                + validationExamples
                + " epochs=" + epochs + " batch=" + batch + " lr=" + learningRate + " seed=" + seed + " threads="
                + threads
                + " maxMinutes=" + maxMinutes + " resume=" + resume;
    }
}
