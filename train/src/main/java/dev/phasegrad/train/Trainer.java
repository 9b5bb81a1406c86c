package dev.phasegrad.train;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.nn.InputFeatures;
import dev.phasegrad.nn.PhaseModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The training loop: seeded, deterministic (the batch is split into a fixed number of contiguous
 * slices, each with its own gradient buffer, and the slices' gradients are summed in slice order, so
 * the same seed gives the same weights whatever the thread count and scheduling), Adam with warm-up and cosine decay; after every
 * epoch the run folder's files ({@link Checkpoints}: resumable checkpoint, last and best model, history).
 */
public final class Trainer {
    /** Fixed number of batch slices (each with its own gradient buffer, summed in slice order). */
    static final int SLICES = 4;

    private Trainer() {}

    /** What a run produced. */
    public static final class Result {
        public final PhaseModel best;
        public final Path bestFile;
        public final List<ProgressListener.EpochStats> history;
        public final int trainExamples;

        Result(PhaseModel best, Path bestFile, List<ProgressListener.EpochStats> history, int trainExamples) {
            this.best = best;
            this.bestFile = bestFile;
            this.history = history;
            this.trainExamples = trainExamples;
        }
    }

    /** Loads the corpus from the configured directories and trains. */
    public static Result run(TrainConfig c, ProgressListener listener) throws IOException {
        c.validate();
        if (c.trainDirs == null || c.trainDirs.isEmpty() || c.validationDir == null) {
            throw new IllegalArgumentException(
                    "training from a corpus needs its training directories and a validation " + "directory");
        }
        RunSettings.check(c); // before minutes of corpus loading
        PhaseModel arch = initialModel(c);
        List<Path> trainFiles = new ArrayList<>();
        for (Path d : c.trainDirs) {
            trainFiles.addAll(Corpus.wavFiles(d));
        }
        List<Path> valFiles = Corpus.wavFiles(c.validationDir);
        if (trainFiles.isEmpty() || valFiles.isEmpty()) {
            throw new IOException("no WAV files in " + (trainFiles.isEmpty() ? c.trainDirs : c.validationDir));
        }
        listener.message("loading training corpus " + c.trainDirs + " (" + trainFiles.size() + " files)");
        Corpus.Dataset train = Corpus.load(
                trainFiles, arch, c.melInput, c.examples, c.seed, c.threads, c.weightPower, listener::message);
        listener.message("loading validation corpus " + c.validationDir + " (" + valFiles.size() + " files)");
        Corpus.Dataset val = Corpus.load(
                valFiles,
                arch,
                c.melInput,
                c.validationExamples,
                c.seed + 1,
                c.threads,
                c.weightPower,
                listener::message);
        // the per-epoch reconstruction scores true magnitudes: not what a mel-path model reads
        List<Audio> recon =
                c.integrator == null || c.reconstructionFiles < 1 || arch.refinesMagnitude() || c.melInput != null
                        ? List.of()
                        : Evaluation.pickFiles(valFiles, c.reconstructionFiles, 2.0, 6.0);
        return run(c, arch, train.examples, val.examples, recon, listener);
    }

    static Result run(TrainConfig c, PhaseModel arch, List<Example> train, List<Example> val, ProgressListener listener)
            throws IOException {
        return run(c, arch, train, val, List.of(), listener);
    }

    static PhaseModel initialModel(TrainConfig c) {
        int ch = c.channels > 0 ? c.channels : Architectures.defaultChannels(c.kind);
        if (Architectures.MEL_REFINER.equals(c.kind)) {
            return Architectures.createRefiner(c.features, c.nnlsIterations, ch, c.seed);
        }
        return Architectures.create(c.kind, c.stft, ch, c.seed);
    }

    /** Trains {@code arch} (its weights are the initialisation) on prepared examples. */
    static Result run(
            TrainConfig c,
            PhaseModel arch,
            List<Example> train,
            List<Example> val,
            List<Audio> recon,
            ProgressListener listener)
            throws IOException {
        if (train.isEmpty() || val.isEmpty()) {
            throw new IllegalArgumentException(
                    "no training or validation examples (" + train.size() + ", " + val.size() + ")");
        }
        Files.createDirectories(c.outDir);
        RunSettings.check(c);
        Checkpoints files = new Checkpoints(c.outDir);

        PhaseModel model;
        Adam adam;
        int startEpoch = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        List<ProgressListener.EpochStats> history = new ArrayList<>();
        if (c.resume && files.exist()) {
            Checkpoints.State ck = files.read();
            model = ck.model;
            if (model.paramCount() != arch.paramCount() || !model.kind().equals(arch.kind())) {
                throw new IOException(
                        files.checkpointFile() + " holds a " + model.kind() + " model of " + model.paramCount()
                                + " parameters, this run trains " + arch.kind() + " with " + arch.paramCount());
            }
            model.requireConfig(arch.config());
            adam = ck.adam;
            startEpoch = ck.epochsDone;
            bestLoss = ck.bestLoss;
            listener.message("resumed from " + files.checkpointFile() + " after epoch " + startEpoch);
            if (!Files.exists(c.outDir.resolve(RunSettings.FILE))) {
                RunSettings.write(c);
                listener.message("note: " + c.outDir + " had no " + RunSettings.FILE + " (an older run folder): this "
                        + "call's settings could not be checked against the run's and are recorded from now on");
            }
        } else {
            if (c.resume) {
                listener.message("no checkpoint in " + c.outDir + ": starting a new run");
            }
            float scale = inputScale(arch, train);
            model = arch.withFeatures(arch.features().withScale(scale));
            adam = new Adam(model.paramCount());
            listener.message(String.format("input scale 1/std = %.4f", scale));
            files.startHistory(model.refinesMagnitude());
            RunSettings.write(c);
        }
        listener.message(model.describe());
        float[] params = model.params();
        // the batch is always cut into SLICES fixed slices, whatever the thread count, so results do
        // not depend on the number of threads either
        int threads = Math.max(1, Math.min(c.threads, SLICES));
        Workspace[] ws = new Workspace[SLICES];
        float[][] grads = new float[SLICES][params.length];
        for (int i = 0; i < SLICES; i++) {
            ws[i] = new Workspace(model, c.magnitudeLoss);
        }
        float[] grad = new float[params.length];
        int stepsPerEpoch = (train.size() + c.batch - 1) / c.batch;
        long totalSteps = (long) stepsPerEpoch * c.epochs;
        if (startEpoch > 0) {
            // the schedule is recomputed for this call's epochs: say where the resumed run lands on it
            listener.message(String.format(
                    "continuing at step %d of a %d-step schedule: learning rate %.3g%s",
                    adam.step(),
                    totalSteps,
                    learningRate(c, adam.step(), totalSteps),
                    adam.step() >= totalSteps
                            ? " (its floor: the run had already passed the end of a schedule this long)"
                            : ""));
        }
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int epoch = startEpoch; epoch < c.epochs; epoch++) {
                long t0 = System.nanoTime();
                int[] order = permutation(train.size(), new SplittableRandom(c.seed * 31 + epoch));
                double lossSum = 0;
                long done = 0;
                long lastReport = System.nanoTime();
                for (int b = 0; b < stepsPerEpoch; b++) {
                    int from = b * c.batch;
                    int to = Math.min(train.size(), from + c.batch);
                    double normDt = 0;
                    double normDf = 0;
                    for (int i = from; i < to; i++) {
                        Example e = train.get(order[i]);
                        normDt += e.sumWdt;
                        normDf += e.sumWdf;
                    }
                    float nDt = (float) (1 / Math.max(normDt, 1e-12));
                    float nDf = (float) (1 / Math.max(normDf, 1e-12));
                    double[] losses = parallel(pool, SLICES, from, to, (slot, lo, hi) -> {
                        float[] g = grads[slot];
                        Arrays.fill(g, 0f);
                        return slice(model, ws[slot], params, train, order, lo, hi, nDt, nDf, g);
                    });
                    Arrays.fill(grad, 0f);
                    double batchLoss = 0;
                    for (int s = 0; s < SLICES; s++) {
                        float[] g = grads[s];
                        for (int i = 0; i < grad.length; i++) {
                            grad[i] += g[i];
                        }
                        batchLoss += losses[s];
                    }
                    long step = adam.step();
                    adam.update(params, grad, learningRate(c, step, totalSteps), c.clipNorm);
                    lossSum += batchLoss;
                    done += to - from;
                    if (System.nanoTime() - lastReport > 5e9 || b == stepsPerEpoch - 1) {
                        lastReport = System.nanoTime();
                        listener.progress(
                                epoch + 1,
                                c.epochs,
                                done,
                                train.size(),
                                lossSum / (b + 1),
                                done / ((lastReport - t0) / 1e9));
                    }
                }
                double trainSeconds = (System.nanoTime() - t0) / 1e9;
                PhaseModel current = model.withParams(params).withInfo(info(c, epoch + 1, train.size()));
                double[] v = validate(current, pool, SLICES, ws, val);
                double valLoss = -(v[0] + v[1]);
                String extra = "";
                if (c.integrator != null && !recon.isEmpty() && !current.refinesMagnitude()) {
                    Evaluation.Scores sc = Evaluation.score(
                            Evaluation.cacheNetwork(current, recon), c.integrator, current.lsP(), current.lsGamma0());
                    extra = "validation reconstruction (" + recon.size() + " files) " + sc;
                }
                boolean refiner = current.refinesMagnitude();
                ProgressListener.EpochStats stats = new ProgressListener.EpochStats(
                        epoch + 1,
                        lossSum / stepsPerEpoch,
                        valLoss,
                        refiner ? Double.NaN : v[0],
                        refiner ? Double.NaN : v[1],
                        (System.nanoTime() - t0) / 1e9,
                        train.size() / trainSeconds,
                        extra);
                history.add(stats);
                boolean isBest = valLoss < bestLoss;
                if (isBest) {
                    bestLoss = valLoss;
                }
                files.saveEpoch(current, adam, stats, v, isBest, bestLoss);
                listener.epoch(stats);
                double minutes = (System.nanoTime() - start) / 6e10;
                if (c.maxMinutes > 0 && minutes >= c.maxMinutes && epoch + 1 < c.epochs) {
                    listener.message(
                            String.format("time limit of %.1f min reached after epoch %d", c.maxMinutes, epoch + 1));
                    break;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(files.best(model.withParams(params)), files.bestFile(), history, train.size());
    }

    private static String info(TrainConfig c, int epochs, int examples) {
        return "trained by phasegrad-train: " + epochs + " epochs over " + examples + " frames of " + c.trainDirs
                + ", seed " + c.seed + ", batch " + c.batch + ", lr " + c.learningRate;
    }

    static double learningRate(TrainConfig c, long step, long total) {
        if (step < c.warmupSteps) {
            return c.learningRate * (step + 1) / c.warmupSteps;
        }
        double x = Math.min(1.0, (double) (step - c.warmupSteps) / Math.max(1, total - c.warmupSteps));
        double lo = c.finalLearningRateFraction;
        return c.learningRate * (lo + (1 - lo) * 0.5 * (1 + Math.cos(Math.PI * x)));
    }

    /** Mean weighted cos of Δt and Δf over the validation examples. */
    static double[] validate(PhaseModel model, ExecutorService pool, int slices, Workspace[] ws, List<Example> val)
            throws IOException {
        float[] params = model.params();
        int[] identity = new int[val.size()];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        for (Workspace w : ws) {
            w.clearStats();
        }
        parallel(
                pool,
                slices,
                0,
                val.size(),
                (slot, lo, hi) -> slice(model, ws[slot], params, val, identity, lo, hi, 0f, 0f, null));
        double cdt = 0;
        double cdf = 0;
        double wdt = 0;
        double wdf = 0;
        for (Workspace w : ws) {
            cdt += w.sumCosDt;
            cdf += w.sumCosDf;
            wdt += w.sumWDt;
            wdf += w.sumWDf;
            w.clearStats();
        }
        return new double[] {cdt / Math.max(wdt, 1e-12), cdf / Math.max(wdf, 1e-12)};
    }

    private static double slice(
            PhaseModel model,
            Workspace w,
            float[] params,
            List<Example> data,
            int[] order,
            int lo,
            int hi,
            float nDt,
            float nDf,
            float[] grad) {
        InputFeatures features = model.features();
        int frames = model.inputFrames();
        int bins = model.config().bins();
        float[] silence = new float[bins];
        float silenceMean = features.logFrame(new float[bins], bins, silence);
        float[][] logView = new float[frames][];
        float[] meanView = new float[frames];
        float[][] input = new float[frames][bins];
        double loss = 0;
        for (int i = lo; i < hi; i++) {
            Example e = data.get(order[i]);
            e.utterance.input(features, e.newest, frames, silence, silenceMean, logView, meanView, input);
            loss += w.step(params, input, e, nDt, nDf, grad);
        }
        return loss;
    }

    @FunctionalInterface
    private interface SliceTask {
        double run(int slot, int lo, int hi) throws Exception;
    }

    /** Splits [from, to) into {@code slices} contiguous slices run on the pool; results in slice order. */
    private static double[] parallel(ExecutorService pool, int slices, int from, int to, SliceTask task)
            throws IOException {
        int n = to - from;
        List<Callable<Double>> jobs = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            int slot = s;
            int lo = from + (int) ((long) n * s / slices);
            int hi = from + (int) ((long) n * (s + 1) / slices);
            jobs.add(() -> task.run(slot, lo, hi));
        }
        double[] out = new double[slices];
        try {
            List<Future<Double>> fs = pool.invokeAll(jobs);
            for (int s = 0; s < slices; s++) {
                out[s] = fs.get(s).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("training interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException(cause);
        }
        return out;
    }

    /** 1 / standard deviation of the network inputs over (up to) 500 examples, with scale 1. */
    static float inputScale(PhaseModel arch, List<Example> train) {
        InputFeatures f = arch.features().withScale(1f);
        int frames = arch.inputFrames();
        int bins = arch.config().bins();
        float[] silence = new float[bins];
        float silenceMean = f.logFrame(new float[bins], bins, silence);
        float[][] logView = new float[frames][];
        float[] meanView = new float[frames];
        float[][] input = new float[frames][bins];
        double s1 = 0;
        double s2 = 0;
        long n = 0;
        int step = Math.max(1, train.size() / 500);
        for (int i = 0; i < train.size(); i += step) {
            Example e = train.get(i);
            e.utterance.input(f, e.newest, frames, silence, silenceMean, logView, meanView, input);
            for (float[] row : input) {
                for (int k = 0; k < bins; k++) {
                    s1 += row[k];
                    s2 += (double) row[k] * row[k];
                    n++;
                }
            }
        }
        double var = s2 / n - (s1 / n) * (s1 / n);
        return (float) (1 / Math.sqrt(Math.max(var, 1e-6)));
    }

    static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
