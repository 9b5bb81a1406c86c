package dev.phasegrad.cli.bench;

import dev.phasegrad.MelVocoder;
import dev.phasegrad.Method;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.features.MelToMagnitude;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cost of the mel path per frame, on one thread in CPU time, timed like {@link StageBench} ({@link Rounds}): the mel →
 * magnitude step alone, and the whole {@link MelVocoder} (mel → magnitude → phase → overlap-add)
 * per method, with the bytes it allocates per frame.
 */
public final class MelBench {
    /** One method on one front end; times in µs per frame (medians over rounds). */
    public record Row(
            String features,
            String magnitudeStep,
            String method,
            int lookahead,
            double melUs,
            double totalUs,
            int sampleRate,
            int hop,
            double bytesPerFrame) {
        public double realTimeFactor() {
            return totalUs * 1e-6 * sampleRate / hop;
        }
    }

    private MelBench() {}

    /**
     * @param step     the mel → magnitude step (NNLS or a refiner)
     * @param stepName its name in the table
     * @param signal   speech at the front end's rate
     * @param methods  streaming methods available at the front end's STFT
     * @param rounds   timing rounds (median reported)
     * @param warmup   least wall time of the warm-up rounds
     */
    public static List<Row> run(
            MelToMagnitude step, String stepName, float[] signal, List<Method> methods, int rounds, Duration warmup) {
        FeatureSpec spec = step.spec();
        float[][] features = new LogMelAnalysis(spec).logMel(signal);
        int frames = features.length;
        MelToMagnitude.Worker worker = step.newWorker();
        float[] magnitude = new float[spec.bins()];
        Map<Method, MelVocoder> vocoders = new LinkedHashMap<>();
        for (Method m : methods) {
            vocoders.put(
                    m,
                    MelVocoder.builder()
                            .features(spec)
                            .method(m)
                            .melToMagnitude(step)
                            .build());
        }
        float[] pcm = new float[spec.hop()];
        float[] tail = new float[spec.fftSize() * 4];
        Runnable mel = () -> {
            for (float[] f : features) {
                worker.magnitude(f, magnitude);
            }
        };
        Map<Method, Runnable> passes = new LinkedHashMap<>();
        vocoders.forEach((m, v) -> passes.put(m, () -> {
            for (float[] f : features) {
                v.push(f, pcm);
            }
            v.flush(tail);
        }));
        Rounds timing = new Rounds(rounds, warmup);
        double[] melT = timing.add(frames, mel);
        Map<Method, double[]> totalT = new LinkedHashMap<>();
        passes.forEach((m, pass) -> totalT.put(m, timing.add(frames, pass)));
        timing.run();
        List<Row> rows = new ArrayList<>();
        for (Method m : methods) {
            Runnable pass = passes.get(m);
            // the least of three passes: a JIT transition inside one pass can allocate once
            long least = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long a0 = Rounds.allocatedBytes();
                pass.run();
                least = Math.min(least, Rounds.allocatedBytes() - a0);
            }
            double bytes = least / (double) frames;
            rows.add(new Row(
                    spec.name(),
                    stepName,
                    m.catalogueName(),
                    vocoders.get(m).lookahead(),
                    Rounds.median(melT),
                    Rounds.median(totalT.get(m)),
                    spec.sampleRate(),
                    spec.hop(),
                    bytes));
        }
        return rows;
    }

    /** The table, one row per method. */
    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "%-9s %-8s %-18s %5s %12s %14s %8s %10s%n",
                "features",
                "mel->mag",
                "method",
                "look",
                "mel->mag us",
                "end-to-end us",
                "RTF",
                "B/frame"));
        for (Row r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "%-9s %-8s %-18s %5d %12.1f %14.1f %8.4f %10.1f%n",
                    r.features(),
                    r.magnitudeStep(),
                    r.method(),
                    r.lookahead(),
                    r.melUs(),
                    r.totalUs(),
                    r.realTimeFactor(),
                    r.bytesPerFrame()));
        }
        return b.toString();
    }
}
