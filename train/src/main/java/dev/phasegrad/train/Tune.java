package dev.phasegrad.train;

import dev.phasegrad.MelVocoder;
import dev.phasegrad.audio.Audio;
import dev.phasegrad.derivatives.DerivativeEstimator;
import dev.phasegrad.derivatives.HeuristicDerivatives;
import dev.phasegrad.derivatives.OracleDerivatives;
import dev.phasegrad.eval.Evaluator;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.MelToMagnitude;
import dev.phasegrad.integrate.LsParams;
import dev.phasegrad.invert.Inverter;
import dev.phasegrad.invert.LsInverter;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.metrics.QualityScores;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The least-squares tuner: a grid search of the LS weights (p, γ₀) on validation files, maximising
 * mean ESTOI ({@link Evaluation#tune}). It tunes either a model's stored defaults ({@link #tune},
 * run by {@code phasegrad train --tune-files}) or the defaults of a model-free derivative source,
 * the entries of {@code dev/phasegrad/integrate/ls-defaults.properties} ({@link #tuneSource}).
 *
 * <pre>
 *   java -cp cli/target/phasegrad.jar dev.phasegrad.train.Tune MODEL.pgnn VALIDATION_DIR OUT.pgnn [FILES [SECONDS]]
 *   java -cp cli/target/phasegrad.jar dev.phasegrad.train.Tune heuristic-la1 VALIDATION_DIR 1024/256 [FILES [SECONDS]]
 * </pre>
 * The first writes the model with the best pair as OUT.pgnn; the second prints the grid and the
 * property lines for that source and STFT (sources: {@code oracle}, {@code heuristic-la0},
 * {@code heuristic-la1}). FILES (default 24) files of at least 2 s, at most SECONDS (default 6) each.
 */
public final class Tune {
    public static final double[] P_GRID = {0.5, 1.0, 1.5, 2.0, 2.5, 3.0};
    public static final double[] GAMMA_GRID = {1, 2, 3, 5, 10, 30};

    /** Model-free derivative sources, the names {@code ls-defaults.properties} keys them by. */
    public static final List<String> SOURCES = List.of("oracle", "heuristic-la0", "heuristic-la1");

    private static final String USAGE =
            "usage: Tune [--features P] MODEL.pgnn VALIDATION_DIR OUT.pgnn [FILES [SECONDS]]\n" + "       Tune "
                    + String.join("|", SOURCES) + " VALIDATION_DIR FFT/HOP [FILES [SECONDS]]";

    private Tune() {}

    /** The LS integrator as an {@link Evaluation.IntegratorFactory}. */
    public static Evaluation.IntegratorFactory ls(String name) {
        return (est, p, g) -> new LsInverter(name, est, LsParams.of(p, g));
    }

    public static void main(String[] args) throws Exception {
        MelToMagnitude melInput = null;
        if (args.length > 1 && args[0].equals("--features")) {
            // a phase model of the mel path: it reads what the vocoder's mel step gives
            melInput = MelVocoder.Builder.defaultMelToMagnitude(FeatureSpec.parse(args[1]));
            args = Arrays.copyOfRange(args, 2, args.length);
        }
        if (args.length < 3 || args.length > 5) {
            System.err.println(USAGE);
            System.exit(2);
        }
        Path valDir = Path.of(args[1]);
        int files = args.length > 3 ? Integer.parseInt(args[3]) : 24;
        double maxSeconds = args.length > 4 ? Double.parseDouble(args[4]) : 6;
        if (SOURCES.contains(args[0])) {
            String[] fh = args[2].split("/");
            if (fh.length != 2) {
                System.err.println("STFT '" + args[2] + "': expected FFT/HOP such as 1024/256\n" + USAGE);
                System.exit(2);
            }
            StftConfig cfg = StftConfig.hann(Integer.parseInt(fh[0]), Integer.parseInt(fh[1]));
            tuneSource(args[0], cfg, valDir, files, maxSeconds, System.out).forEach(System.out::println);
            return;
        }
        PhaseModel model = PhaseModel.read(Path.of(args[0]));
        Path out = Path.of(args[2]);
        tune(model, melInput, valDir, files, maxSeconds, System.out).write(out);
        System.out.println("wrote " + out);
    }

    /**
     * Scores the (p, γ₀) grid on {@code files} validation files (at most {@code maxSeconds} each),
     * prints the grid and the heuristic baselines at the model's look-ahead on the same files, and
     * returns the model with the best pair stored as its LS defaults.
     */
    public static PhaseModel tune(PhaseModel model, Path valDir, int files, double maxSeconds, PrintStream log)
            throws IOException {
        return tune(model, null, valDir, files, maxSeconds, log);
    }

    /**
     * {@link #tune(PhaseModel, Path, int, double, PrintStream)} for a phase model of the mel path, which
     * reads the magnitude {@code melInput} estimates from the files' log-mel (null: the true
     * magnitude); the baselines then run on that magnitude too.
     */
    public static PhaseModel tune(
            PhaseModel model, MelToMagnitude melInput, Path valDir, int files, double maxSeconds, PrintStream log)
            throws IOException {
        List<Audio> audio = Evaluation.pickFiles(Corpus.wavFiles(valDir), files, 2.0, maxSeconds);
        log.println(model.describe());
        log.println("tuning on " + audio.size() + " files of " + valDir
                + (melInput == null
                        ? ""
                        : ", magnitudes from " + melInput.spec().name() + " log-mel"));
        long t0 = System.nanoTime();
        List<Evaluation.Cached> cached = Evaluation.cacheNetwork(model, melInput, audio);
        double nnSeconds = (System.nanoTime() - t0) / 1e9;
        long frames = 0;
        for (Evaluation.Cached c : cached) {
            frames += c.magnitude.length;
        }
        log.printf("network: %d frames in %.2f s = %.0f µs/frame%n", frames, nnSeconds, 1e6 * nnSeconds / frames);
        Evaluation.Tuning t = Evaluation.tune(cached, ls(model.kind()), P_GRID, GAMMA_GRID);
        log.print(t.table);
        log.printf(
                "best: p=%.2f γ0=%.3g → %s (stored before: p=%.2f γ0=%.3g → %s)%n",
                t.p,
                t.gamma0,
                t.best,
                model.lsP(),
                model.lsGamma0(),
                Evaluation.score(cached, ls(model.kind()), model.lsP(), model.lsGamma0()));
        StftConfig cfg = model.config();
        int la = model.lookahead();
        report("ls-heuristic" + (la > 0 ? "-la" + la : ""), cached, c -> LsInverter.heuristic(c, la), cfg, log);
        report(
                la == 0 ? "rtpghi" : "rtpghi-la1",
                cached,
                c -> Methods.create(la == 0 ? "rtpghi" : "rtpghi-la1", c, null),
                cfg,
                log);
        return model.withLsDefaults((float) t.p, (float) t.gamma0)
                .withInfo(model.info() + "; LS defaults tuned on " + audio.size() + " files of " + valDir.getFileName()
                        + " (" + t.best + ")");
    }

    /**
     * Tunes the LS defaults of a model-free derivative source ({@link #SOURCES}) at one STFT setting
     * on {@code files} files of {@code dir} (resampled to the setting's rate), prints the grid and
     * returns the two {@code ls-defaults.properties} lines of the best pair.
     */
    public static List<String> tuneSource(
            String source, StftConfig cfg, Path dir, int files, double maxSeconds, PrintStream log) throws IOException {
        return tuneSource(source, cfg, dir, files, maxSeconds, P_GRID, GAMMA_GRID, log);
    }

    /** {@link #tuneSource(String, StftConfig, Path, int, double, PrintStream)} over other grids. */
    static List<String> tuneSource(
            String source,
            StftConfig cfg,
            Path dir,
            int files,
            double maxSeconds,
            double[] ps,
            double[] gammas,
            PrintStream log)
            throws IOException {
        Function<float[], DerivativeEstimator> estimator = estimatorFor(source, cfg);
        List<Evaluation.Cached> cached = new ArrayList<>();
        for (Audio a : Evaluation.pickFiles(Corpus.wavFiles(dir), files, 2.0, maxSeconds)) {
            float[] x = a.resample(cfg.sampleRate()).samples();
            cached.add(Evaluation.cache(estimator.apply(x), x));
        }
        if (cached.isEmpty()) {
            throw new IOException(dir + ": no WAV files of at least 2 s to tune on");
        }
        log.println(source + " at " + cfg + ", " + cached.size() + " files of " + dir);
        Evaluation.Tuning t = Evaluation.tune(cached, ls(source), ps, gammas);
        log.print(t.table);
        log.printf("best: p=%.2f γ0=%.3g → %s%n", t.p, t.gamma0, t.best);
        String key = source + "." + cfg.fftSize() + "." + cfg.hop();
        return List.of(key + ".p = " + number(t.p), key + ".gamma0 = " + number(t.gamma0));
    }

    private static Function<float[], DerivativeEstimator> estimatorFor(String source, StftConfig cfg) {
        return switch (source) {
            case "oracle" -> x -> new OracleDerivatives(Stft.analyse(x, cfg));
            case "heuristic-la0" -> x -> new HeuristicDerivatives(cfg, 0);
            case "heuristic-la1" -> x -> new HeuristicDerivatives(cfg, 1);
            default ->
                throw new IllegalArgumentException(
                        "unknown derivative source '" + source + "'; known: " + String.join(", ", SOURCES));
        };
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static void report(
            String name,
            List<Evaluation.Cached> cached,
            Function<StftConfig, Inverter> make,
            StftConfig cfg,
            PrintStream log) {
        List<QualityScores> each = new ArrayList<>();
        for (Evaluation.Cached c : cached) {
            each.add(Evaluator.score(make.apply(cfg), c.magnitude, c.signal, c.grid));
        }
        QualityScores mean = QualityScores.mean(each);
        log.printf("%s on the same files: ESTOI %.4f, SC %.2f dB%n", name, mean.estoi(), mean.scDb());
    }
}
