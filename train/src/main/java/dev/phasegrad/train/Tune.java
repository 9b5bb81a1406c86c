package dev.phasegrad.train;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.integrate.LsParams;
import dev.phasegrad.invert.Inverter;
import dev.phasegrad.invert.LsInverter;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.metrics.SpectralConvergence;
import dev.phasegrad.metrics.Stoi;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Tunes a model's least-squares defaults (p, γ₀) on validation files and writes the model with them;
 * prints the grid and, on the same files, ls-heuristic and RTPGHI at the model's look-ahead.
 * Usage: {@code Tune MODEL.pgnn VALIDATION_DIR OUT.pgnn [files] [maxSeconds]}.
 */
public final class Tune {
    public static final double[] P_GRID = {0.5, 1.0, 1.5, 2.0, 2.5, 3.0};
    public static final double[] GAMMA_GRID = {1, 2, 3, 5, 10, 30};

    private Tune() {}

    /** The LS integrator as an {@link Evaluation.IntegratorFactory}. */
    public static Evaluation.IntegratorFactory ls(String name) {
        return (est, p, g) -> new LsInverter(name, est, LsParams.of(p, g));
    }

    public static void main(String[] args) throws Exception {
        PhaseModel model = PhaseModel.read(Path.of(args[0]));
        Path valDir = Path.of(args[1]);
        Path out = Path.of(args[2]);
        int files = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        double maxSeconds = args.length > 4 ? Double.parseDouble(args[4]) : 6;
        PhaseModel tuned = tune(model, valDir, files, maxSeconds, System.out);
        tuned.write(out);
        System.out.println("wrote " + out);
    }

    /**
     * Scores the (p, γ₀) grid on {@code files} validation files (at most {@code maxSeconds} each),
     * prints the grid and the heuristic baselines at the model's look-ahead on the same files, and
     * returns the model with the best pair stored as its LS defaults.
     */
    public static PhaseModel tune(PhaseModel model, Path valDir, int files, double maxSeconds, PrintStream log)
            throws IOException {
        List<Audio> audio = Evaluation.pickFiles(Corpus.wavFiles(valDir), files, 2.0, maxSeconds);
        log.println(model.describe());
        log.println("tuning on " + audio.size() + " files of " + valDir);
        long t0 = System.nanoTime();
        List<Evaluation.Cached> cached = Evaluation.cacheNetwork(model, audio);
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
        report("ls-heuristic" + (la > 0 ? "-la" + la : ""), audio, c -> LsInverter.heuristic(c, la), cfg, log);
        report(
                la == 0 ? "rtpghi" : "rtpghi-la1",
                audio,
                c -> Methods.create(la == 0 ? "rtpghi" : "rtpghi-la1", c, null),
                cfg,
                log);
        return model.withLsDefaults((float) t.p, (float) t.gamma0)
                .withInfo(model.info() + "; LS defaults tuned on " + audio.size() + " files of " + valDir.getFileName()
                        + " (" + t.best + ")");
    }

    private static void report(
            String name, List<Audio> audio, Function<StftConfig, Inverter> make, StftConfig cfg, PrintStream log) {
        double e = 0;
        double sc = 0;
        for (Audio a : audio) {
            Inverter inv = make.apply(cfg);
            float[] y = Stft.synthesise(inv.reconstruct(Stft.magnitude(a.samples(), cfg), a.length()));
            e += Stoi.estoi(a.samples(), y, a.sampleRate());
            sc += SpectralConvergence.db(a.samples(), y);
        }
        log.printf("%s on the same files: ESTOI %.4f, SC %.2f dB%n", name, e / audio.size(), sc / audio.size());
    }
}
