package dev.phasegrad.cli;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.eval.Evaluator;
import dev.phasegrad.eval.MethodResult;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Analyse each WAV, discard the phase, reconstruct it with each method and score the result",
                "against the original: STOI, ESTOI, spectral convergence, SNR, log-spectral distance,",
                "phase-reconstruction time per frame and latency."},
        footer = {"", "Examples:",
                "  phasegrad eval speech.wav",
                "  phasegrad eval --methods rtpghi,rtisi-la --fft 512 --hop 128 --json report.json clips/",
                "  phasegrad eval --methods all --out recon/ a.wav b.wav",
                "  phasegrad eval --methods phasegrad --model runs/p512/best.pgnn --fft 512 --hop 128 clips/"})
final class EvalCommand implements Callable<Integer> {
    @Mixin
    StftOptions stft = new StftOptions();

    @Option(names = "--methods", paramLabel = "M[,M...]", split = ",",
            description = "Methods to run, or 'all' (default). Known: oracle, ls-oracle, phasegrad, ... "
                    + "(see 'phasegrad methods'; old names such as proposed are accepted).")
    List<String> methods = List.of("all");

    @Option(names = "--model", paramLabel = "FILE.pgnn", split = ",",
            description = "Also evaluate these trained model files (from 'phasegrad train'), each as a method named "
                    + "after its file; they must be trained for the chosen STFT settings.")
    List<Path> models;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--out", paramLabel = "DIR", description = "Write each reconstruction as DIR/<file>.<method>.wav.")
    Path outDir;

    @Parameters(paramLabel = "FILES|DIRS", arity = "1..*", description = "WAV files or directories of WAV files.")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        StftConfig config = stft.config();
        Map<String, PhaseModel> modelFiles = Cli.readModels(models);
        modelFiles.forEach((name, model) -> {
            if (!model.config().equals(config)) {
                throw new Cli.UserError("model '" + name + "' is for STFT " + model.config() + ", not " + config
                        + "; pass the matching --fft/--hop/--win/--rate");
            }
        });
        List<String> names = resolveMethods(methods, config);
        List<Path> files = Cli.wavInputs(inputs);
        List<Named> signals = new ArrayList<>();
        for (Path f : files) {
            signals.add(new Named(Cli.baseName(f), Audio.read(f, config.sampleRate()).samples()));
        }
        List<MethodResult> all = evaluate(signals, names, modelFiles, config, outDir);
        List<MethodResult> means = Report.meanByMethod(all);
        if (signals.size() <= 3) {
            for (Named s : signals) {
                List<MethodResult> rows = new ArrayList<>();
                for (MethodResult r : all) {
                    if (r.source().equals(s.name)) {
                        rows.add(r);
                    }
                }
                Report.printTable(System.out, s.name + String.format(" (%.2f s)", s.samples.length
                        / (double) config.sampleRate()), config, rows);
            }
        }
        if (signals.size() > 1) {
            Report.printTable(System.out, "Mean over " + signals.size() + " files", config, means);
        }
        if (json != null) {
            Report.writeJson(json, config, all, means);
            System.out.println("\nwrote " + json);
        }
        return 0;
    }

    record Named(String name, float[] samples) {
    }

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
                throw new Cli.UserError("method '" + m + "' is not available at " + config
                        + " (no model shipped for it); available: " + String.join(", ", Methods.availableNames(config)));
            }
        }
        return names;
    }

    /** Runs every method on every signal, with a progress bar; optionally writes each reconstruction. */
    static List<MethodResult> evaluate(List<Named> signals, List<String> names, StftConfig config, Path outDir)
            throws Exception {
        return evaluate(signals, names, Map.of(), config, outDir);
    }

    /** Same, plus each model file as a network method with its stored LS weights. */
    static List<MethodResult> evaluate(List<Named> signals, List<String> names, Map<String, PhaseModel> models,
                                       StftConfig config, Path outDir) throws Exception {
        List<MethodResult> all = new ArrayList<>();
        if (outDir != null) {
            Files.createDirectories(outDir);
        }
        try (Progress p = new Progress("eval", (long) signals.size() * (names.size() + models.size()))) {
            for (Named s : signals) {
                if (s.samples.length < config.fftSize()) {
                    throw new Cli.UserError(s.name + ": " + s.samples.length + " samples is shorter than one STFT frame ("
                            + config.fftSize() + ")");
                }
                Spectrogram truth = Stft.analyse(s.samples, config);
                List<String> run = new ArrayList<>(names);
                run.addAll(models.keySet());
                for (String m : run) {
                    PhaseModel model = models.get(m);
                    Inverter inv = model != null ? Methods.network(m, model, config) : Methods.create(m, config, truth);
                    MethodResult r = Evaluator.run(m, inv, s.name, s.samples, truth);
                    all.add(r);
                    if (outDir != null) {
                        WavWriter.writePcm16(outDir.resolve(s.name + "." + m + ".wav"), r.output(), config.sampleRate());
                    }
                    p.step(s.name + " " + m);
                }
            }
        }
        return all;
    }
}
