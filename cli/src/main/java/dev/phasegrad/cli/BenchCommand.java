package dev.phasegrad.cli;

import dev.phasegrad.Method;
import dev.phasegrad.audio.Audio;
import dev.phasegrad.cli.bench.MelBench;
import dev.phasegrad.cli.bench.SolverBench;
import dev.phasegrad.cli.bench.StageBench;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.MelInversion;
import dev.phasegrad.features.MelRefiner;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.StftConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure cost side by side in one run (ratios are meaningful on a noisy machine):",
            "  stages  per-frame cost split by stage for every streaming inverter at 512/128 and 1024/256,",
            "          real-time factor, streams per core, bytes allocated per frame",
            "  solver  LS solve: tridiagonal vs dense vs CG for 257..4097 unknowns",
            "  mel     the mel path (hifigan and vocos front ends): mel -> magnitude, and end to end",
            "          per streaming method available at the front end's rate",
            "  all     stages and solver (default)",
            "Single thread, thread CPU time (preemption by other jobs not counted); warm-up first;",
            "medians over rounds. For JMH see the bench/ module."
        },
        footer = {
            "",
            "Examples:",
            "  phasegrad bench",
            "  phasegrad bench solver",
            "  phasegrad bench mel --methods rtpghi-la1,phasegrad",
            "  phasegrad bench stages --methods phasegrad,rtpghi --rounds 9 --json bench.json --png cost.png",
            "  phasegrad bench stages --methods phasegrad --model runs/small-512.pgnn"
        })
final class BenchCommand implements Callable<Integer> {
    private static final List<StftConfig> BENCH_CONFIGS = List.of(StftConfig.HANN_512_128, StftConfig.DEFAULT);

    @Parameters(index = "0", arity = "0..1", paramLabel = "WHAT", description = "stages, solver, mel or all (default).")
    String what = "all";

    @Option(
            names = "--methods",
            split = ",",
            paramLabel = "M[,M...]",
            description = "Methods for 'stages' (default: every method that works from magnitudes, plus fgla).")
    List<String> methods;

    @Option(
            names = "--model",
            paramLabel = "FILE.pgnn",
            split = ",",
            description = "Also time these trained model files (from 'phasegrad train'), each as a method named "
                    + "after its file, at the STFT settings it was trained for.")
    List<Path> models;

    @Option(names = "--rounds", description = "Timing rounds per method (median reported; default ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Option(
            names = "--warmup",
            paramLabel = "SECONDS",
            description = "Least wall time of the untimed warm-up rounds before timing, so the JIT has "
                    + "compiled every method (at least 3 rounds either way; default ${DEFAULT-VALUE}).")
    double warmupSeconds = 3;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the tables as JSON.")
    Path json;

    @Option(
            names = "--png",
            paramLabel = "FILE",
            description = "Also draw the per-frame cost of 'stages' as a PNG bar chart.")
    Path png;

    @Override
    public Integer call() throws Exception {
        if (!List.of("all", "stages", "solver", "mel").contains(what)) {
            throw new Cli.UserError("unknown benchmark '" + what + "'; choose stages, solver, mel or all");
        }
        if (rounds < 1) {
            throw new Cli.UserError("--rounds must be >= 1, got " + rounds);
        }
        if (!(warmupSeconds >= 0 && warmupSeconds <= 3600)) {
            throw new Cli.UserError("--warmup must be 0 to 3600 seconds, got " + warmupSeconds);
        }
        PrintStream out = System.out;
        Map<String, Object> js = Json.object();
        if (what.equals("mel")) {
            benchMel(out, js);
            return 0;
        }
        if (!what.equals("solver")) {
            List<String> requested = methods != null ? Cli.methodNames(methods) : defaultMethods();
            Map<String, PhaseModel> modelFiles = Cli.readModels(models);
            modelFiles.forEach((name, model) -> {
                if (!BENCH_CONFIGS.contains(model.config())) {
                    throw new Cli.UserError("model '" + name + "' is for STFT " + model.config() + "; bench runs "
                            + BENCH_CONFIGS.get(0) + " and " + BENCH_CONFIGS.get(1));
                }
            });
            float[] x = Audio.readResource("/dev/phasegrad/clips/auth-incorrect.wav")
                    .samples();
            List<Map<String, Object>> stagesJson = new ArrayList<>();
            js.put("stages", stagesJson);
            List<StageBench.Row> allRows = new ArrayList<>();
            for (StftConfig c : BENCH_CONFIGS) {
                List<String> names = new ArrayList<>();
                for (String m : requested) {
                    if (Methods.get(m).availableAt(c)) {
                        names.add(m);
                    }
                }
                Map<String, PhaseModel> here = new LinkedHashMap<>();
                modelFiles.forEach((name, model) -> {
                    if (model.config().equals(c)) {
                        here.put(name, model);
                    }
                });
                List<StageBench.Row> rows = StageBench.run(x, c, names, here, rounds, warmup());
                printStages(out, c, rows);
                printNetwork(out, c, rows);
                allRows.addAll(rows);
                for (StageBench.Row r : rows) {
                    stagesJson.add(stageJson(r));
                }
            }
            if (png != null) {
                Pictures.costChart(png, allRows);
                out.println("\nwrote " + png);
            }
        }
        if (!what.equals("stages")) {
            out.println();
            out.println("LS solve, time per solve (realistic systems from speech; median round)");
            List<SolverBench.Row> rows = SolverBench.run(SolverBench.DEFAULT_SIZES, 1.0, null);
            out.print(SolverBench.table(rows));
            List<Map<String, Object>> solverJson = new ArrayList<>();
            for (SolverBench.Row r : rows) {
                Map<String, Object> o = Json.object();
                o.put("n", r.n());
                o.put("tridiagonal_us", Json.num(r.tridiagonalMicros(), 4));
                o.put("cg_us", Json.num(r.cgMicros(), 4));
                o.put("dense_us", Json.num(r.denseMicros(), 4));
                o.put("dense_over_tridiagonal", Json.num(r.denseOverTridiagonal(), 4));
                o.put("cg_over_tridiagonal", Json.num(r.cgOverTridiagonal(), 4));
                solverJson.add(o);
            }
            js.put("solver", solverJson);
        }
        if (json != null) {
            Json.write(json, js);
            out.println("\nwrote " + json);
        }
        return 0;
    }

    private Duration warmup() {
        return Duration.ofMillis(Math.round(warmupSeconds * 1000));
    }

    /** The mel path on both presets, the embedded clip resampled to each preset's rate. */
    private void benchMel(PrintStream out, Map<String, Object> js) throws Exception {
        List<String> requested = methods != null ? Cli.methodNames(methods) : defaultMethods();
        List<Map<String, Object>> melJson = new ArrayList<>();
        out.println("Mel path per frame, one thread, CPU time (mel -> magnitude: nnls = NNLS alone, "
                + MelInversion.DEFAULT_ITERATIONS + " steps; refiner = the preset's mel refiner)");
        for (FeatureSpec spec : List.of(FeatureSpec.HIFIGAN, FeatureSpec.VOCOS)) {
            List<Method> here = new ArrayList<>();
            for (String m : requested) {
                if (Methods.get(m).isStreaming()
                        && !Methods.get(m).needsTruth()
                        && Methods.get(m).availableAt(spec.stft())) {
                    here.add(Method.fromName(m));
                }
            }
            float[] x = Audio.readResource("/dev/phasegrad/clips/auth-incorrect.wav")
                    .resample(spec.sampleRate())
                    .samples();
            List<MelBench.Row> rows =
                    new ArrayList<>(MelBench.run(new MelInversion(spec), "nnls", x, here, rounds, warmup()));
            Optional<MelRefiner> refiner = MelRefiner.builtin(spec);
            if (refiner.isPresent()) {
                rows.addAll(MelBench.run(refiner.get(), "refiner", x, here, rounds, warmup()));
            }
            out.print(MelBench.table(rows));
            for (MelBench.Row r : rows) {
                Map<String, Object> o = Json.object();
                o.put("features", r.features());
                o.put("mel_to_magnitude", r.magnitudeStep());
                o.put("method", r.method());
                o.put("lookahead", r.lookahead());
                o.put("mel_to_magnitude_us", Json.num(r.melUs(), 4));
                o.put("total_us", Json.num(r.totalUs(), 4));
                o.put("rtf", Json.num(r.realTimeFactor(), 4));
                o.put("bytes_per_frame", Json.num(r.bytesPerFrame(), 5));
                melJson.add(o);
            }
        }
        js.put("mel", melJson);
        if (json != null) {
            Json.write(json, js);
            out.println("\nwrote " + json);
        }
    }

    static List<String> defaultMethods() {
        List<String> names = new ArrayList<>();
        for (String m : Methods.magnitudeOnlyNames()) {
            if (!m.equals("gla") && !m.equals("fgla-100") && !m.equals("pghi")) {
                names.add(m);
            }
        }
        return names;
    }

    static void printStages(PrintStream out, StftConfig c, List<StageBench.Row> rows) {
        out.println();
        out.printf(
                Locale.ROOT, "Per-frame cost by stage, one thread, CPU time  [%s, hop = %.1f ms]%n", c, c.hopMillis());
        String h = String.format(
                Locale.ROOT,
                "%-18s %4s %8s %9s %9s %9s %8s %9s %8s %9s %8s",
                "method",
                "look",
                "STFT us",
                "deriv us",
                "integr us",
                "phase us",
                "ISTFT us",
                "total us",
                "RTF",
                "streams/c",
                "B/frame");
        out.println(h);
        out.println("-".repeat(h.length()));
        for (StageBench.Row r : rows) {
            boolean offline = r.lookahead() < 0;
            out.printf(
                    Locale.ROOT,
                    "%-18s %4s %8.2f %9s %9s %9.2f %8.2f %9s %8s %9s %8s%n",
                    r.method() + (offline ? "*" : ""),
                    offline ? "all" : Integer.toString(r.lookahead()),
                    r.stftUs(),
                    Double.isNaN(r.estimatorUs()) ? "-" : String.format(Locale.ROOT, "%.2f", r.estimatorUs()),
                    Double.isNaN(r.estimatorUs()) ? "-" : String.format(Locale.ROOT, "%.2f", r.integrationUs()),
                    r.reconstructUs(),
                    r.istftUs(),
                    offline ? "-" : String.format(Locale.ROOT, "%.2f", r.totalUs()),
                    offline ? "-" : String.format(Locale.ROOT, "%.4f", r.realTimeFactor()),
                    offline ? "-" : String.format(Locale.ROOT, "%.0f", 1 / r.realTimeFactor()),
                    Double.isNaN(r.bytesPerFrame()) ? "-" : String.format(Locale.ROOT, "%.0f", r.bytesPerFrame()));
        }
        if (rows.stream().anyMatch(r -> r.lookahead() < 0)) {
            out.println("* offline iterative method: 'phase us' is per frame per iteration");
        }
    }

    /** Network cost of the model-based methods measured in the same run: MACs, time, throughput, ratios. */
    static void printNetwork(PrintStream out, StftConfig c, List<StageBench.Row> rows) {
        List<StageBench.Row> nets = new ArrayList<>();
        for (StageBench.Row r : rows) {
            if (r.model() != null) {
                nets.add(r);
            }
        }
        if (nets.isEmpty()) {
            return;
        }
        out.println();
        out.printf(Locale.ROOT, "Network cost per frame, one thread  [%s]%n", c);
        String h = String.format(
                Locale.ROOT,
                "%-18s %8s %10s %10s %8s %12s",
                "model",
                "params",
                "MMAC/frame",
                "net us",
                "GMAC/s",
                "vs phasegrad");
        out.println(h);
        out.println("-".repeat(h.length()));
        for (StageBench.Row r : nets) {
            PhaseModel m = r.model();
            double macs = m.macsPerFrame();
            double vs = r.estimatorVsPhasegrad();
            out.printf(
                    Locale.ROOT,
                    "%-18s %8d %10.2f %10.1f %8.2f %12s%n",
                    r.method(),
                    m.paramCount(),
                    macs / 1e6,
                    r.estimatorUs(),
                    macs / (r.estimatorUs() * 1e3),
                    Double.isNaN(vs) ? "-" : String.format(Locale.ROOT, "%.2fx", vs));
        }
        out.println("'vs phasegrad': median over rounds of the per-round time ratio (both timed back to back)");
    }

    private static Map<String, Object> stageJson(StageBench.Row r) {
        Map<String, Object> o = Json.object();
        o.put("method", r.method());
        o.put("fft", r.config().fftSize());
        o.put("hop", r.config().hop());
        o.put("lookahead", r.lookahead());
        o.put("stft_us", Json.num(r.stftUs(), 4));
        o.put("estimator_us", Json.num(r.estimatorUs(), 4));
        o.put("reconstruct_us", Json.num(r.reconstructUs(), 4));
        o.put("istft_us", Json.num(r.istftUs(), 4));
        o.put("total_us", Json.num(r.totalUs(), 4));
        o.put("rtf", Json.num(r.realTimeFactor(), 4));
        o.put("bytes_per_frame", Json.num(r.bytesPerFrame(), 5));
        o.put("estimator_vs_phasegrad", Json.num(r.estimatorVsPhasegrad(), 4));
        return o;
    }
}
