package dev.phasegrad.cli;

import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.eval.Evaluator;
import dev.phasegrad.eval.MethodResult;
import dev.phasegrad.features.FeatureSpec;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Analyse each WAV, discard the phase, reconstruct it with each method and score",
            "the result against the original: STOI, ESTOI, spectral convergence, SNR,",
            "log-spectral distance, phase-reconstruction time per frame and latency.",
            "Inputs: WAV files, directories (searched recursively), quoted globs, --manifest.",
            "Files run in parallel (--threads); a bad file is reported and skipped; a summary",
            "follows; exit code 0 only if every file succeeded. us/frame is timed while the",
            "other threads run: use --threads 1 (or 'phasegrad bench') for clean timing."
        },
        footer = {
            "",
            "Examples:",
            "  phasegrad eval speech.wav",
            "  phasegrad eval --methods rtpghi,rtisi-la --fft 512 --hop 128 --json report.json clips/",
            "  phasegrad eval --methods all --out recon/ a.wav b.wav",
            "  phasegrad eval --methods phasegrad --model runs/p512/best.pgnn --fft 512 --hop 128 clips/",
            "  phasegrad eval --methods phasegrad --manifest test-files.txt --json r.json --force"
        })
final class EvalCommand implements Callable<Integer> {
    @Mixin
    StftOptions stft = new StftOptions();

    @Mixin
    FeatureOptions features = new FeatureOptions();

    @Option(
            names = "--true-magnitude",
            description = "With --features: invert the true magnitude on the front end's "
                    + "grid instead of the one estimated from the mel (the upper bound of any mel inversion).")
    boolean trueMagnitude;

    @Option(
            names = "--methods",
            paramLabel = "M[,M...]",
            split = ",",
            description = "Methods to run, or 'all' (default). Known: oracle, ls-oracle, phasegrad, ... "
                    + "(see 'phasegrad methods'; old names such as proposed are accepted).")
    List<String> methods = List.of("all");

    @Option(
            names = "--model",
            paramLabel = "FILE.pgnn",
            split = ",",
            description = "Also evaluate these trained model files (from 'phasegrad train'), each as a method named "
                    + "after its file; they must be trained for the chosen STFT settings.")
    List<Path> models;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Write each reconstruction as DIR/<file>.<method>.wav (mirroring directory inputs).")
    Path outDir;

    @Option(
            names = "--manifest",
            paramLabel = "FILE",
            description = "WAV files listed in FILE, one per line (relative to FILE's directory; '#' comments).")
    Path manifest;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Files evaluated in parallel (default: all cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--force", description = "Overwrite an existing --json file and --out reconstructions.")
    boolean force;

    @Parameters(
            paramLabel = "FILES|DIRS|GLOBS",
            arity = "0..*",
            hideParamSyntax = true,
            description = "WAV files, directories or quoted globs.")
    List<String> inputs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        StftConfig config = features.config(stft);
        if (trueMagnitude && !features.active()) {
            throw new Cli.UserError("--true-magnitude applies with --features only");
        }
        Mel mel = !features.active() ? null : new Mel(features.spec(), trueMagnitude ? null : features.inversion());
        if (threads < 1) {
            throw new Cli.UserError("--threads must be >= 1, got " + threads);
        }
        Map<String, PhaseModel> modelFiles = Cli.readModels(models);
        modelFiles.forEach((name, model) -> {
            if (!model.config().equals(config)) {
                throw new Cli.UserError("model '" + name + "' is for STFT " + model.config() + ", not " + config
                        + "; pass the matching --fft/--hop/--win/--rate");
            }
        });
        List<String> names = resolveMethods(methods, config);
        List<Batch.Entry> entries = new ArrayList<>(Batch.expand(inputs, Set.of(".wav")));
        if (manifest != null) {
            entries.addAll(Batch.manifest(manifest, false));
        }
        if (entries.isEmpty()) {
            throw new Cli.UserError(
                    inputs.isEmpty() && manifest == null
                            ? "give WAV files, directories, globs or --manifest"
                            : "no WAV files found in " + inputs);
        }
        List<String> run = new ArrayList<>(names);
        run.addAll(modelFiles.keySet());
        if (json != null && Files.exists(json) && !force) {
            throw new Cli.UserError(json + ": exists; pass --force to overwrite");
        }
        List<Path> ins = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        if (outDir != null) {
            for (Batch.Entry e : entries) {
                for (String m : run) {
                    ins.add(e.input());
                    outs.add(e.under(outDir, "." + m + ".wav"));
                }
            }
        }
        Batch.checkOutputs(ins, outs, force, false, false);
        long t0 = System.nanoTime();
        List<Batch.Outcome<List<MethodResult>>> outcomes = Batch.run(entries, null, threads, "eval", e -> {
            float[] x;
            try (Signals.Samples in = Signals.Samples.open(Signals.Input.of(e.input()), config.sampleRate())) {
                x = in.readAll(
                        Signals.maxWholeSamples(config),
                        "is longer than the " + Signals.wholeLimit(config)
                                + " eval holds: its metrics compare whole signals (STOI needs all of both); cut the file, "
                                + "or run 'phasegrad invert' with a streaming method, which has no limit");
            }
            Named s = new Named(e.stem(), x);
            List<MethodResult> rows = evaluate(
                    s,
                    names,
                    modelFiles,
                    config,
                    mel,
                    outDir == null ? null : m -> e.under(outDir, "." + m + ".wav"),
                    force);
            return new Batch.Done<>(rows, x.length / (double) config.sampleRate());
        });
        long wall = System.nanoTime() - t0;
        List<MethodResult> all = new ArrayList<>();
        int files = 0;
        for (Batch.Outcome<List<MethodResult>> o : outcomes) {
            if (o.ok()) {
                all.addAll(o.done().value());
                files++;
            }
        }
        if (!all.isEmpty()) {
            List<MethodResult> means = Report.meanByMethod(all);
            if (files <= 3) {
                for (Batch.Outcome<List<MethodResult>> o : outcomes) {
                    if (o.ok()) {
                        Report.printTable(
                                System.out,
                                o.entry().stem()
                                        + String.format(" (%.2f s)", o.done().audioSeconds()),
                                config,
                                o.done().value());
                    }
                }
            }
            if (files > 1) {
                Report.printTable(System.out, "Mean over " + files + " files", config, means);
            }
            if (json != null) {
                Report.writeJson(json, config, all, means);
                System.out.println("\nwrote " + json);
            }
        }
        System.out.println();
        return Batch.report("eval", outcomes, wall, threads, System.out, System.err);
    }

    record Named(String name, float[] samples) {}

    /** The mel loop of {@code --features}: the front end, and the mel inversion (null: the true magnitude). */
    record Mel(FeatureSpec spec, MelToMagnitude inversion) {}

    /** 'all' means every method that can run at this configuration; named methods must all be able to. */
    static List<String> resolveMethods(List<String> requested, StftConfig config) {
        if (requested.size() == 1 && requested.get(0).equals("all")) {
            List<String> names = Methods.availableNames(config);
            List<String> missing = new ArrayList<>(Methods.names());
            missing.removeAll(names);
            if (!missing.isEmpty()) {
                System.err.println("note: no shipped model for " + config + ", skipping " + String.join(", ", missing));
            }
            return names;
        }
        List<String> names = Cli.methodNames(requested);
        for (String m : names) {
            if (!Methods.get(m).availableAt(config)) {
                throw new Cli.UserError(
                        "method '" + m + "' is not available at " + config + " (no model shipped for it); available: "
                                + String.join(", ", Methods.availableNames(config)));
            }
        }
        return names;
    }

    /** Runs every method on every signal, with a progress bar; optionally writes each reconstruction (replacing). */
    static List<MethodResult> evaluate(List<Named> signals, List<String> names, StftConfig config, Path outDir)
            throws Exception {
        List<MethodResult> all = new ArrayList<>();
        if (outDir != null) {
            Files.createDirectories(outDir);
        }
        try (Progress p = new Progress("eval", signals.size())) {
            for (Named s : signals) {
                all.addAll(evaluate(
                        s,
                        names,
                        Map.of(),
                        config,
                        null,
                        outDir == null ? null : m -> outDir.resolve(s.name + "." + m + ".wav"),
                        true));
                p.step(s.name);
            }
        }
        return all;
    }

    /**
     * Every method (and model file, as a network method with its stored LS weights) on one signal;
     * each reconstruction is written to {@code outputs.apply(method)} when that is given.
     */
    static List<MethodResult> evaluate(
            Named s,
            List<String> names,
            Map<String, PhaseModel> models,
            StftConfig config,
            Mel mel,
            Function<String, Path> outputs,
            boolean replace)
            throws Exception {
        if (s.samples.length < config.fftSize()) {
            throw new Cli.UserError(s.name + ": " + s.samples.length + " samples is shorter than one STFT frame ("
                    + config.fftSize() + ")");
        }
        List<MethodResult> all = new ArrayList<>();
        if (mel != null && mel.spec().frameCount(s.samples.length) * mel.spec().hop() < config.fftSize()) {
            throw new Cli.UserError(s.name + ": " + s.samples.length + " samples is too short for "
                    + mel.spec().name() + " features");
        }
        Spectrogram truth =
                mel == null ? Stft.analyse(s.samples, config) : Evaluator.featureTruth(s.samples, mel.spec());
        List<String> run = new ArrayList<>(names);
        run.addAll(models.keySet());
        for (String m : run) {
            PhaseModel model = models.get(m);
            if (model == null && mel != null && mel.inversion() != null) {
                // the mel path's own model where one ships, as MelVocoder takes it (not for the true magnitude)
                model = Methods.melPathModel(m, mel.spec()).orElse(null);
            }
            Inverter inv = model != null ? Methods.network(m, model, config) : Methods.create(m, config, truth);
            MethodResult r = mel == null
                    ? Evaluator.run(m, inv, s.name, s.samples, truth)
                    : Evaluator.runFeatures(m, inv, s.name, s.samples, mel.spec(), mel.inversion());
            all.add(r);
            if (outputs != null) {
                Path out = outputs.apply(m);
                Path parent = out.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                WavWriter.writePcm16(out, r.output(), config.sampleRate(), replace);
            }
        }
        return all;
    }
}
