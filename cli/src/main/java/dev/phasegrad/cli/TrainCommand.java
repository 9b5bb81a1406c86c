package dev.phasegrad.cli;

import dev.phasegrad.MelVocoder;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.MelRefiner;
import dev.phasegrad.train.Architectures;
import dev.phasegrad.train.MagnitudeLoss;
import dev.phasegrad.train.MelRefinerEvaluation;
import dev.phasegrad.train.ProgressListener;
import dev.phasegrad.train.TrainConfig;
import dev.phasegrad.train.Trainer;
import dev.phasegrad.train.Tune;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a phase-derivative network on the speech corpus made by scripts/fetch-corpus.sh",
            "(Debian-package speech; train/ for training, validation/ for model selection and LS tuning,",
            "test/ is never read). Seeded and deterministic; checkpoints every epoch; --resume continues.",
            "Writes DIR/best.pgnn (use it with 'invert --model'), DIR/last.pgnn, DIR/history.tsv.",
            "--kind mel-refiner trains the network that refines the NNLS magnitude of log-mel features",
            "(--features); it is scored on validation files with the true phase (DIR/validation.md)."
        },
        footer = {
            "",
            "Examples:",
            "  scripts/fetch-corpus.sh                               # once: builds ./corpus",
            "  phasegrad train --out runs/proposed                    # the default model, 1024/256",
            "  phasegrad train --kind proposed-strided --out runs/strided --max-minutes 60",
            "  phasegrad train --fft 512 --hop 128 --out runs/p512 --resume",
            "  phasegrad train --kind mel-refiner --features hifigan --corpus corpus-22050 --out runs/mel-hifigan",
            "  phasegrad train --kind mel-refiner --features vocos --corpus corpus-24000 --out runs/mel-vocos"
        })
final class TrainCommand implements Callable<Integer> {
    @Mixin
    StftOptions stft = new StftOptions();

    @Option(names = "--kind", description = "proposed (default), proposed-strided, prior-sota or mel-refiner.")
    String kind = "proposed";

    @Option(
            names = "--features",
            paramLabel = "SPEC",
            description = "The log-mel features of the mel path: what a mel-refiner inverts; for a phase model, the "
                    + "network reads the magnitude the features' mel -> magnitude step (the preset's refiner) gives "
                    + "instead of the true one. hifigan, vocos, or a custom spec such as 'hifigan,rate=16000'. "
                    + "Sets the STFT.")
    String features;

    @Option(names = "--loss", description = "mel-refiner: l1 or l2 on the log-magnitude (default ${DEFAULT-VALUE}).")
    String loss = new TrainConfig().magnitudeLoss.name().toLowerCase(Locale.ROOT);

    @Option(
            names = "--weight-power",
            paramLabel = "P",
            description = "mel-refiner: per-bin loss weight (true "
                    + "magnitude / file's loudest)^P (default ${DEFAULT-VALUE}).")
    double weightPower = TrainConfig.DEFAULT_WEIGHT_POWER;

    @Option(
            names = "--nnls-iterations",
            paramLabel = "N",
            description = "mel-refiner: NNLS iterations of the input " + "(default ${DEFAULT-VALUE}).")
    int nnlsIterations = new TrainConfig().nnlsIterations;

    @Option(
            names = "--channels",
            paramLabel = "N",
            description = "Trunk width (default: the kind's, 22; prior-sota " + "64; mel-refiner 16).")
    int channels;

    @Option(
            names = "--corpus",
            paramLabel = "DIR",
            description = "Corpus root with train/ and validation/ (default: $PHASEGRAD_CORPUS or ./corpus).")
    Path corpus;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Run folder: checkpoints, log, models.")
    Path out;

    @Option(names = "--examples", description = "Training frames sampled per epoch (default ${DEFAULT-VALUE}).")
    long examples = new TrainConfig().examples;

    @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs = new TrainConfig().epochs;

    @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch = new TrainConfig().batch;

    @Option(names = "--lr", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr = new TrainConfig().learningRate;

    @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed = new TrainConfig().seed;

    @Option(names = "--threads", description = "Worker threads over the batch (default ${DEFAULT-VALUE}).")
    int threads = new TrainConfig().threads;

    @Option(names = "--max-minutes", description = "Stop after this wall-clock budget (0 = no limit).")
    double maxMinutes;

    @Option(
            names = "--tune-files",
            paramLabel = "N",
            description = "After training, tune the LS defaults (p, γ₀) of "
                    + "the best model on N validation files (at most 6 s each) and write it as model.pgnn (mel-refiner: score "
                    + "it on them instead, DIR/validation.md); 0 skips (default ${DEFAULT-VALUE}).")
    int tuneFiles = 24;

    @Option(
            names = "--resume",
            description = "Continue from the run folder's checkpoint. --batch, --lr, --examples, "
                    + "--seed, --kind and the STFT must be those the run started with (settings.tsv); --epochs may grow. "
                    + "Without --resume, a folder that holds a checkpoint is refused.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        Path root = corpus != null ? corpus : Path.of(System.getenv().getOrDefault("PHASEGRAD_CORPUS", "corpus"));
        Path train = root.resolve("train");
        Path validation = root.resolve("validation");
        if (!Files.isDirectory(train) || !Files.isDirectory(validation)) {
            throw new Cli.UserError(root + ": no train/ and validation/ folders; build the corpus with "
                    + "scripts/fetch-corpus.sh --out " + root);
        }
        boolean refiner = Architectures.MEL_REFINER.equals(kind);
        TrainConfig c = new TrainConfig()
                .kind(kind)
                .stft(stft.config())
                .trainDirs(train)
                .validationDir(validation)
                .outDir(out)
                .examples(examples)
                .epochs(epochs)
                .batch(batch)
                .learningRate(lr)
                .seed(seed)
                .threads(threads)
                .maxMinutes(maxMinutes)
                .resume(resume)
                .channels(channels);
        if (refiner) {
            if (features == null) {
                throw new Cli.UserError("--kind mel-refiner needs --features (hifigan, vocos or a custom spec)");
            }
            c.features(FeatureSpec.parse(features));
            c.magnitudeLoss = MagnitudeLoss.parse(loss);
            c.weightPower = weightPower;
            c.nnlsIterations = nnlsIterations;
        } else {
            if (features != null) {
                // a phase model of the mel path: it reads the magnitude MelVocoder gives it
                FeatureSpec spec = FeatureSpec.parse(features);
                c.features(spec);
                c.melInput = MelVocoder.Builder.defaultMelToMagnitude(spec);
            }
            c.integrator = Tune.ls(kind);
        }
        c.validate();
        boolean tty = Progress.interactive();
        Trainer.Result r = Trainer.run(c, new ProgressListener() {
            @Override
            public void progress(int epoch, int total, long done, long all, double loss, double eps) {
                if (tty) {
                    System.err.printf(
                            Locale.ROOT,
                            "\repoch %d/%d %5.1f%% loss %.4f %.0f frames/s   ",
                            epoch,
                            total,
                            100.0 * done / all,
                            loss,
                            eps);
                }
            }

            @Override
            public void epoch(EpochStats s) {
                System.out.println((tty ? "\r" : "") + s);
            }

            @Override
            public void message(String text) {
                System.out.println(text);
            }
        });
        System.out.println("best model: " + r.bestFile);
        if (refiner) {
            if (tuneFiles > 0) {
                MelRefiner best = new MelRefiner(r.best);
                MelRefinerEvaluation.Result res = MelRefinerEvaluation.evaluate(best, validation, tuneFiles, 6.0);
                String table = "validation (" + validation + ", " + res.files + " files of at most 6 s), "
                        + best.spec().describe() + "\n\n" + res.table(r.best.paramCount());
                Files.writeString(out.resolve("validation.md"), table);
                System.out.print(table);
            }
            return 0;
        }
        if (tuneFiles > 0 && c.melInput != null) {
            System.out.println("--tune-files: the LS defaults of a mel-path model are not tuned here (tuning scores"
                    + " true magnitudes); best.pgnn keeps the built-in defaults");
        } else if (tuneFiles > 0) {
            Path tunedFile = out.resolve("model.pgnn");
            Tune.tune(r.best, validation, tuneFiles, 6.0, System.out).write(tunedFile);
            System.out.println("tuned model: " + tunedFile);
        }
        return 0;
    }
}
