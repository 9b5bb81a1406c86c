package dev.phasegrad.train;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.eval.Evaluator;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.features.MelInversion;
import dev.phasegrad.features.MelRefiner;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.metrics.QualityScores;
import dev.phasegrad.stft.Spectrogram;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How much of the mel loop's loss a refiner recovers, with the phase taken out of the question: on
 * each file, the features are inverted to a magnitude by (a) NNLS alone, (b) the refiner, (c) nothing
 * (the true magnitude on the feature grid), each combined with the TRUE phase (the oracle
 * inverter), synthesised sample-aligned on the feature grid and scored against the signal. When
 * the features stop below Nyquist, (b′) is the refined magnitude up to fMax and NNLS's (zero) above:
 * what the refiner's guess of the band the mel does not cover adds. Also the cost per frame of
 * NNLS alone and of the refiner (NNLS + network): this thread's CPU time per frame (as
 * {@code phasegrad bench} counts it: wall-clock time on a shared machine counts other processes too),
 * after one untimed pass over the first file.
 */
public final class MelRefinerEvaluation {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private MelRefinerEvaluation() {}

    /** Mean scores of one magnitude source over the files. */
    public static final class Row {
        public final String name;
        private final List<QualityScores> each = new ArrayList<>();

        Row(String name) {
            this.name = name;
        }

        void add(QualityScores s) {
            each.add(s);
        }

        /** {@return the mean scores over the files} */
        public QualityScores mean() {
            return QualityScores.mean(each);
        }

        @Override
        public String toString() {
            QualityScores m = mean();
            return String.format(
                    Locale.ROOT,
                    "| %-28s | %.4f | %.4f | %7.2f | %6.2f |",
                    name,
                    m.stoi(),
                    m.estoi(),
                    m.scDb(),
                    m.lsdDb());
        }
    }

    /** The three rows and the costs. */
    public static final class Result {
        public final Row nnls;
        public final Row refined;
        public final Row truth;
        /** Refined up to fMax, NNLS above; null when fMax is Nyquist. */
        public final Row refinedBelowFmax;

        public final double nnlsMicros;
        public final double refinerMicros;
        public final int files;
        public final long frames;

        Result(
                Row nnls,
                Row refined,
                Row refinedBelowFmax,
                Row truth,
                double nnlsMicros,
                double refinerMicros,
                int files,
                long frames) {
            this.nnls = nnls;
            this.refined = refined;
            this.refinedBelowFmax = refinedBelowFmax;
            this.truth = truth;
            this.nnlsMicros = nnlsMicros;
            this.refinerMicros = refinerMicros;
            this.files = files;
            this.frames = frames;
        }

        /** A Markdown table and the cost line. */
        public String table(int params) {
            return "| magnitude (+ true phase) | STOI | ESTOI | SC dB | LSD dB |\n|---|---:|---:|---:|---:|\n"
                    + nnls + "\n" + refined + "\n" + (refinedBelowFmax != null ? refinedBelowFmax + "\n" : "") + truth
                    + "\n"
                    + String.format(
                            Locale.ROOT,
                            "%d files, %d frames; refiner %d parameters; CPU µs per frame, one thread:"
                                    + " NNLS %.1f, refiner (NNLS + network) %.1f%n",
                            files,
                            frames,
                            params,
                            nnlsMicros,
                            refinerMicros);
        }
    }

    /** Scores {@code refiner} on the given signals (at its features' rate). */
    public static Result evaluate(MelRefiner refiner, List<Audio> audio) {
        FeatureSpec spec = refiner.spec();
        LogMelAnalysis analysis = new LogMelAnalysis(spec, refiner.nnls().filterbank());
        MelInversion.Worker nnls = refiner.nnls().newWorker();
        MelRefiner.Worker worker = refiner.newWorker();
        Row a = new Row("NNLS (" + refiner.model().nnlsIterations() + " it.)");
        Row b = new Row("refined (" + refiner.model().paramCount() + " params)");
        Row c = new Row("true magnitude");
        // first bin above fMax: the mel says nothing from there on
        int top = (int) Math.floor(spec.fMax() * spec.fftSize() / spec.sampleRate()) + 1;
        Row b2 = top < spec.bins() ? new Row("refined ≤ fMax, NNLS above") : null;
        long nnlsNanos = 0;
        long refinerNanos = 0;
        long frames = 0;
        int n = 0;
        // one pass untimed over the first file so the JIT has compiled both paths before timing
        boolean warm = false;
        for (Audio x : audio) {
            if (x.sampleRate() != spec.sampleRate()) {
                throw new IllegalArgumentException(
                        "a " + x.sampleRate() + " Hz signal for features at " + spec.sampleRate() + " Hz");
            }
            float[] signal = x.samples();
            if (spec.reflectPadding() && spec.padding() >= signal.length) {
                continue;
            }
            float[][] mel = analysis.logMel(signal);
            float[][] mNnls = new float[mel.length][spec.bins()];
            float[][] mRef = new float[mel.length][spec.bins()];
            for (int rep = warm ? 1 : 0; rep < 2; rep++) {
                long t0 = CPU.getCurrentThreadCpuTime();
                for (int t = 0; t < mel.length; t++) {
                    nnls.magnitude(mel[t], mNnls[t]);
                }
                long t1 = CPU.getCurrentThreadCpuTime();
                worker.reset();
                for (int t = 0; t < mel.length; t++) {
                    worker.magnitude(mel[t], mRef[t]);
                }
                long t2 = CPU.getCurrentThreadCpuTime();
                if (rep == 1) {
                    nnlsNanos += t1 - t0;
                    refinerNanos += t2 - t1;
                }
            }
            warm = true;
            n++;
            frames += mel.length;
            Spectrogram truth = analysis.spectrogram(signal);
            a.add(score(mNnls, truth, spec, signal));
            b.add(score(mRef, truth, spec, signal));
            if (b2 != null) {
                for (int t = 0; t < mel.length; t++) {
                    System.arraycopy(mNnls[t], top, mRef[t], top, spec.bins() - top);
                }
                b2.add(score(mRef, truth, spec, signal));
            }
            c.add(score(analysis.magnitude(signal), truth, spec, signal));
        }
        if (n == 0) {
            throw new IllegalArgumentException(
                    "none of the " + audio.size() + " files is long enough for " + spec.name() + " features");
        }
        return new Result(
                a,
                b,
                b2,
                c,
                nnlsNanos / 1e3 / Math.max(1, frames),
                refinerNanos / 1e3 / Math.max(1, frames),
                n,
                frames);
    }

    private static QualityScores score(float[][] magnitude, Spectrogram truth, FeatureSpec spec, float[] signal) {
        return Evaluator.score(Methods.create("oracle", spec.stft(), truth), magnitude, signal, spec);
    }

    /** Evaluates on {@code files} validation files of {@code dir} (excerpts of at most {@code maxSeconds}). */
    public static Result evaluate(MelRefiner refiner, Path dir, int files, double maxSeconds) throws IOException {
        return evaluate(refiner, Evaluation.pickFiles(Corpus.wavFiles(dir), files, 2.0, maxSeconds));
    }

    /**
     * {@code MelRefinerEvaluation MODEL.pgnn VALIDATION_DIR [FILES [MAX_SECONDS]]}: prints the table.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException(
                    "usage: MelRefinerEvaluation MODEL.pgnn VALIDATION_DIR [FILES [MAX_SECONDS]]");
        }
        MelRefiner r = MelRefiner.read(Path.of(args[0]));
        int files = args.length > 2 ? Integer.parseInt(args[2]) : 24;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 6.0;
        PrintStream out = System.out;
        out.println(r.model().describe());
        Result res = evaluate(r, Path.of(args[1]), files, seconds);
        out.print(res.table(r.model().paramCount()));
    }
}
