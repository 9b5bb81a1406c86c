package dev.phasegrad.train;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.InputFileException;
import dev.phasegrad.derivatives.PhaseDerivatives;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.features.MelFilterbank;
import dev.phasegrad.features.MelInversion;
import dev.phasegrad.features.MelToMagnitude;
import dev.phasegrad.nn.InputFeatures;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a directory of 16 kHz WAV files into training examples: frames are sub-sampled at random
 * (seeded per file, so the result does not depend on thread scheduling) among those whose peak
 * magnitude is within {@link #ACTIVE_DB} dB of the file's loudest frame; silent frames carry no loss
 * weight and would only cost time.
 */
public final class Corpus {
    /** Frames quieter than this (dB below the file's loudest frame) are never examples. */
    public static final double ACTIVE_DB = 50;

    private Corpus() {}

    /** Examples and the utterances they read from. */
    public static final class Dataset {
        public final List<Example> examples;
        public final int files;
        public final long frames;
        public final double seconds;

        Dataset(List<Example> examples, int files, long frames, double seconds) {
            this.examples = examples;
            this.files = files;
            this.frames = frames;
            this.seconds = seconds;
        }
    }

    /** All .wav files below {@code dir}, sorted by path. */
    public static List<Path> wavFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("corpus directory " + dir + " does not exist");
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".wav"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** Total STFT frames of the given files, from their sizes (cheap; used to size the sampling rate). */
    public static long estimateFrames(List<Path> files, StftConfig config) throws IOException {
        long bytes = 0;
        for (Path p : files) {
            bytes += Files.size(p);
        }
        return bytes / 2 / config.hop();
    }

    /**
     * Loads files and draws about {@code budget} examples in total.
     *
     * @param arch    model whose input layout and stride the examples must fit
     * @param threads worker threads for decoding and STFT
     */
    public static Dataset load(
            List<Path> files, PhaseModel arch, long budget, long seed, int threads, Consumer<String> log)
            throws IOException {
        return load(files, arch, null, budget, seed, threads, TrainConfig.DEFAULT_WEIGHT_POWER, log);
    }

    /**
     * Same, with the exponent of a mel refiner's loss weights ({@link #melExamples}; phase models
     * ignore it), and for a phase model of the mel path the step whose magnitude it reads
     * ({@code melInput}, null for the true magnitude; {@link #melPhaseExamples}).
     */
    public static Dataset load(
            List<Path> files,
            PhaseModel arch,
            MelToMagnitude melInput,
            long budget,
            long seed,
            int threads,
            double weightPower,
            Consumer<String> log)
            throws IOException {
        long estimate = Math.max(1, estimateFrames(files, arch.config()));
        double rate = Math.min(1.0, 1.1 * budget / (0.75 * estimate));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<List<Example>>> futures = new ArrayList<>();
            long[] frames = new long[files.size()];
            double[] seconds = new double[files.size()];
            String[] skipped = new String[files.size()];
            for (int i = 0; i < files.size(); i++) {
                final int index = i;
                futures.add(pool.submit(() -> {
                    Audio audio;
                    try {
                        audio = Audio.read(files.get(index));
                    } catch (InputFileException e) {
                        // a few corpus files are empty or unreadable; one bad file must not end a long run
                        skipped[index] = e.getMessage();
                        return List.<Example>of();
                    }
                    if (audio.sampleRate() != arch.config().sampleRate()) {
                        throw new IOException(files.get(index) + ": sample rate " + audio.sampleRate()
                                + " Hz, the model needs " + arch.config().sampleRate() + " Hz");
                    }
                    seconds[index] = audio.durationSeconds();
                    SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
                    String name = files.get(index).toString();
                    if (arch.refinesMagnitude()) {
                        frames[index] = arch.melFeatures().frameCount(audio.length());
                        return melExamples(name, audio.samples(), arch, rate, rnd, weightPower);
                    }
                    if (melInput != null) {
                        frames[index] = melInput.spec().frameCount(audio.length());
                        return melPhaseExamples(name, audio.samples(), arch, melInput, rate, rnd);
                    }
                    List<Example> ex = examples(name, audio.samples(), arch, rate, rnd);
                    frames[index] = Stft.frameCount(audio.length(), arch.config());
                    return ex;
                }));
            }
            List<Example> all = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    all.addAll(futures.get(i).get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IOException) {
                        throw (IOException) c;
                    }
                    throw new IllegalStateException("loading " + files.get(i) + " failed: " + c, c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while loading the corpus", e);
                }
            }
            for (String why : skipped) {
                if (why != null) {
                    log.accept("skipped: " + why);
                }
            }
            if (all.size() > budget) {
                // the active fraction was underestimated: keep a seeded random subset, in corpus order
                int[] perm = Trainer.permutation(all.size(), new SplittableRandom(seed ^ 0x5DEECE66DL));
                int[] keep = Arrays.copyOf(perm, (int) budget);
                Arrays.sort(keep);
                List<Example> sub = new ArrayList<>(keep.length);
                for (int i : keep) {
                    sub.add(all.get(i));
                }
                log.accept("kept " + sub.size() + " of " + all.size() + " drawn examples");
                all = sub;
            }
            long totalFrames = 0;
            double totalSeconds = 0;
            for (int i = 0; i < files.size(); i++) {
                totalFrames += frames[i];
                totalSeconds += seconds[i];
            }
            log.accept(String.format(
                    "corpus: %d files, %.1f min, %d frames, sampling rate %.3f → %d examples",
                    files.size(), totalSeconds / 60, totalFrames, rate, all.size()));
            return new Dataset(all, files.size(), totalFrames, totalSeconds);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Examples of one signal: each frame kept with probability {@code rate} if active. */
    static List<Example> examples(String name, float[] signal, PhaseModel arch, double rate, SplittableRandom rnd) {
        Spectrogram spec = Stft.analyse(signal, arch.config());
        float[][] mag = spec.magnitude();
        return examples(name, spec, mag, mag, arch, rate, rnd);
    }

    /**
     * Examples of a phase model of the mel path: targets and weights from the true spectrogram on the
     * features' grid, input from the magnitude {@code melInput} estimates from the signal's log-mel,
     * frame by frame in stream order (a refiner remembers past frames), as {@code MelVocoder} feeds it.
     */
    static List<Example> melPhaseExamples(
            String name, float[] signal, PhaseModel arch, MelToMagnitude melInput, double rate, SplittableRandom rnd) {
        FeatureSpec spec = melInput.spec();
        if (spec.reflectPadding() && spec.padding() >= signal.length) {
            return new ArrayList<>();
        }
        LogMelAnalysis analysis = new LogMelAnalysis(spec);
        float[][] mel = analysis.logMel(signal);
        Spectrogram truth = analysis.spectrogram(signal);
        return examples(name, truth, truth.magnitude(), melInput.magnitudes(mel), arch, rate, rnd);
    }

    /**
     * Examples of one spectrogram: frames active on the true magnitude {@code mag} kept with
     * probability {@code rate}; targets from its phase, weights from {@code mag}; the network's input
     * from {@code input} (the true magnitude itself, or an estimate of it).
     */
    private static List<Example> examples(
            String name,
            Spectrogram spec,
            float[][] mag,
            float[][] input,
            PhaseModel arch,
            double rate,
            SplittableRandom rnd) {
        StftConfig config = arch.config();
        InputFeatures features = arch.features();
        int stride = arch.stride();
        int inputFrames = arch.inputFrames();
        int frames = mag.length;
        int bins = config.bins();
        float[] peak = framePeaks(mag);
        float loudest = max(peak);
        List<Example> out = new ArrayList<>();
        if (loudest <= 0) {
            return out;
        }
        float threshold = (float) (loudest * Math.pow(10, -ACTIVE_DB / 20));
        float[][] log = new float[frames][];
        float[] mean = new float[frames];
        Utterance utt = new Utterance(name, frames, log, mean);
        float[][] phase = new float[frames][];
        float inv = 1f / loudest;
        for (int n = stride; n < frames; n++) {
            boolean active = true;
            for (int t = n - stride + 1; t <= n; t++) {
                active &= peak[t] >= threshold;
            }
            // draw for every candidate frame so the selection depends only on the seed and the file
            double u = rnd.nextDouble();
            if (!active || u >= rate) {
                continue;
            }
            for (int t = Math.max(0, n - inputFrames + 1); t <= n; t++) {
                if (log[t] == null) {
                    log[t] = new float[bins];
                    mean[t] = features.logFrame(input[t], bins, log[t]);
                }
            }
            float[][] dt = new float[stride][bins];
            float[][] df = new float[stride][bins - 1];
            float[][] wdt = new float[stride][bins];
            float[][] wdf = new float[stride][bins - 1];
            for (int s = 0; s < stride; s++) {
                int t = n - stride + 1 + s;
                float[] cur = phaseRow(spec, phase, t);
                float[] prev = phaseRow(spec, phase, t - 1);
                PhaseDerivatives.timeDirection(prev, cur, config, dt[s]);
                PhaseDerivatives.frequencyDirection(cur, df[s]);
                for (int k = 0; k < bins; k++) {
                    wdt[s][k] = (float) Math.sqrt((double) mag[t][k] * mag[t - 1][k]) * inv;
                }
                for (int k = 0; k + 1 < bins; k++) {
                    wdf[s][k] = (float) Math.sqrt((double) mag[t][k] * mag[t][k + 1]) * inv;
                }
            }
            out.add(new Example(utt, n, dt, df, wdt, wdf));
        }
        return out;
    }

    /**
     * Mel-refiner examples of one signal: each active frame (peak within {@link #ACTIVE_DB} dB of the
     * file's loudest, on the true magnitude) kept with probability {@code rate}. Input: the NNLS
     * magnitude of the log-mel features of that frame and the model's past input frames, floored and
     * logged as at inference ({@code MelRefiner}); target: the true magnitude's floored log minus the
     * input's; weight per bin (true magnitude / the file's loudest bin)^weightPower.
     */
    static List<Example> melExamples(
            String name, float[] signal, PhaseModel arch, double rate, SplittableRandom rnd, double weightPower) {
        FeatureSpec spec = arch.melFeatures();
        InputFeatures features = arch.features();
        int inputFrames = arch.inputFrames();
        List<Example> out = new ArrayList<>();
        if (spec.reflectPadding() && spec.padding() >= signal.length) {
            return out;
        }
        MelFilterbank fb = new MelFilterbank(spec);
        LogMelAnalysis analysis = new LogMelAnalysis(spec, fb);
        float[][] mel = analysis.logMel(signal);
        float[][] mag = analysis.magnitude(signal);
        MelInversion.Worker nnls = new MelInversion(spec, fb, arch.nnlsIterations()).newWorker();
        int frames = mel.length;
        int bins = spec.bins();
        float[] peak = framePeaks(mag);
        float loudest = max(peak);
        if (loudest <= 0) {
            return out;
        }
        float threshold = (float) (loudest * Math.pow(10, -ACTIVE_DB / 20));
        float[][] log = new float[frames][];
        float[] mean = new float[frames];
        Utterance utt = new Utterance(name, frames, log, mean);
        float[] nnlsFrame = new float[bins];
        float[] trueLog = new float[bins];
        for (int n = 0; n < frames; n++) {
            // draw for every frame so the selection depends only on the seed and the file
            double u = rnd.nextDouble();
            if (peak[n] < threshold || u >= rate) {
                continue;
            }
            for (int t = Math.max(0, n - inputFrames + 1); t <= n; t++) {
                if (log[t] == null) {
                    nnls.magnitude(mel[t], nnlsFrame);
                    log[t] = new float[bins];
                    mean[t] = features.logFrame(nnlsFrame, bins, log[t]);
                }
            }
            features.logFrame(mag[n], bins, trueLog);
            float[] residual = new float[bins];
            float[] weight = new float[bins];
            for (int k = 0; k < bins; k++) {
                residual[k] = trueLog[k] - log[n][k];
                weight[k] = (float) Math.pow(mag[n][k] / loudest, weightPower);
            }
            out.add(new Example(utt, n, residual, weight));
        }
        return out;
    }

    private static float[] phaseRow(Spectrogram spec, float[][] cache, int t) {
        if (cache[t] == null) {
            float[] re = spec.re()[t];
            float[] im = spec.im()[t];
            float[] p = new float[re.length];
            for (int k = 0; k < p.length; k++) {
                p[k] = (float) Math.atan2(im[k], re[k]);
            }
            cache[t] = p;
        }
        return cache[t];
    }

    /** Each frame's largest magnitude: what the activity threshold and the loss weights are relative to. */
    private static float[] framePeaks(float[][] magnitude) {
        float[] peak = new float[magnitude.length];
        for (int t = 0; t < magnitude.length; t++) {
            float m = 0;
            for (float v : magnitude[t]) {
                m = Math.max(m, v);
            }
            peak[t] = m;
        }
        return peak;
    }

    private static float max(float[] v) {
        float m = 0;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
