package dev.phasegrad.integrate;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.derivatives.DerivativeEstimator;
import dev.phasegrad.derivatives.HeuristicDerivatives;
import dev.phasegrad.derivatives.OracleDerivatives;
import dev.phasegrad.invert.LsInverter;
import dev.phasegrad.metrics.SpectralConvergence;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Grid search of the LS weights (p × γ₀) per STFT configuration and derivative source, scored by
 * spectral convergence of the resynthesised reconstruction against the original signal (at the same
 * STFT settings), averaged over files.
 * Run it on TRAINING speech only (never on the shipped evaluation clips); it prints the table and
 * the lines to paste into {@code ls-defaults.properties}.
 *
 * <pre>
 *   java -cp core/target/classes:core/target/test-classes:&lt;deps&gt; dev.phasegrad.integrate.LsTuning \
 *        /work/corpus/train 3 oracle,heuristic-la0,heuristic-la1
 * </pre>
 * Arguments: folder (searched recursively for .wav, resampled to 16 kHz if needed), minutes of speech to use
 * (files in a fixed pseudo-random order), comma-separated sources.
 */
public final class LsTuning {
    /** The grid of p; override with {@code -Dls.p=2,3,4} for side experiments. */
    public static final double[] P_GRID = grid("ls.p", new double[] {0.5, 1, 2});
    /** The grid of γ₀; override with {@code -Dls.gamma0=0.3,1,3}. */
    public static final double[] GAMMA_GRID =
            grid("ls.gamma0", new double[] {0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000});

    public static final StftConfig[] CONFIGS = {StftConfig.HANN_512_128, StftConfig.DEFAULT};

    /** Derivative sources by name: a fresh estimator for one file's true spectrogram. */
    public static Map<String, Function<Spectrogram, DerivativeEstimator>> sources() {
        Map<String, Function<Spectrogram, DerivativeEstimator>> m = new LinkedHashMap<>();
        m.put("oracle", OracleDerivatives::new);
        m.put("heuristic-la0", s -> new HeuristicDerivatives(s.config(), 0));
        m.put("heuristic-la1", s -> new HeuristicDerivatives(s.config(), 1));
        return m;
    }

    /** Mean SC (dB) over the signals for every (p, γ₀), [p][γ₀]. */
    public static double[][] grid(
            List<float[]> signals, StftConfig c, Function<Spectrogram, DerivativeEstimator> source) {
        List<Spectrogram> specs = new ArrayList<>();
        List<float[][]> mags = new ArrayList<>();
        for (float[] x : signals) {
            Spectrogram s = Stft.analyse(x, c);
            specs.add(s);
            mags.add(s.magnitude());
        }
        double[][] sc = new double[P_GRID.length][GAMMA_GRID.length];
        for (int i = 0; i < P_GRID.length; i++) {
            for (int j = 0; j < GAMMA_GRID.length; j++) {
                double sum = 0;
                for (int f = 0; f < specs.size(); f++) {
                    Spectrogram s = specs.get(f);
                    LsInverter inv = new LsInverter("tune", source.apply(s), LsParams.of(P_GRID[i], GAMMA_GRID[j]));
                    float[] y = Stft.synthesise(inv.reconstruct(mags.get(f), s.signalLength()));
                    sum += SpectralConvergence.db(signals.get(f), y, c.fftSize(), c.hop());
                }
                sc[i][j] = sum / specs.size();
            }
        }
        return sc;
    }

    /** Loads about {@code minutes} of speech: .wav files in a fixed pseudo-random order until enough. */
    public static List<float[]> load(Path dir, double minutes, int sampleRate) throws IOException {
        return load(dir, minutes, sampleRate, new HashMap<>());
    }

    /** As {@link #load(Path, double, int)}, adding the seconds taken from each parent folder to {@code perFolder}. */
    public static List<float[]> load(Path dir, double minutes, int sampleRate, Map<String, Double> perFolder)
            throws IOException {
        List<Path> files;
        try (Stream<Path> w = Files.walk(dir)) {
            files = w.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .wav files under " + dir);
        }
        long want = (long) (minutes * 60 * sampleRate);
        List<float[]> out = new ArrayList<>();
        long have = 0;
        // a seeded shuffle spreads the pick over packages and speakers and stays reproducible
        Collections.shuffle(files, new Random(20250530));
        for (int i = 0; i < files.size() && have < want; i++) {
            Path p = files.get(i);
            float[] x = Audio.read(p, sampleRate).samples();
            perFolder.merge(String.valueOf(dir.relativize(p).getParent()), x.length / (double) sampleRate, Double::sum);
            out.add(x);
            have += x.length;
        }
        return out;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Paths.get(args.length > 0 ? args[0] : "/work/corpus/train");
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        String[] wanted = (args.length > 2 ? args[2] : "oracle").split(",");
        PrintStream out = System.out;
        Map<String, Double> perFolder = new TreeMap<>();
        List<float[]> signals = load(dir, minutes, 16000, perFolder);
        long samples = signals.stream().mapToLong(x -> x.length).sum();
        out.printf(Locale.ROOT, "%d files, %.1f min of speech from %s%n", signals.size(), samples / 16000.0 / 60, dir);
        perFolder.forEach((k, v) -> out.printf(Locale.ROOT, "  %-40s %6.1f s%n", k, v));
        Map<String, Function<Spectrogram, DerivativeEstimator>> all = sources();
        List<String> properties = new ArrayList<>();
        for (String name : wanted) {
            Function<Spectrogram, DerivativeEstimator> src = all.get(name);
            if (src == null) {
                throw new IllegalArgumentException("unknown source " + name + "; known: " + all.keySet());
            }
            for (StftConfig c : CONFIGS) {
                long t0 = System.nanoTime();
                double[][] sc = grid(signals, c, src);
                out.printf(
                        Locale.ROOT,
                        "%n%s, %s: mean spectral convergence (dB), %.0f s%n",
                        name,
                        c,
                        (System.nanoTime() - t0) / 1e9);
                StringBuilder head = new StringBuilder(String.format("%6s", "p\\γ₀"));
                for (double g : GAMMA_GRID) {
                    head.append(String.format(Locale.ROOT, "%8s", fmt(g)));
                }
                out.println(head);
                int bi = 0;
                int bj = 0;
                for (int i = 0; i < P_GRID.length; i++) {
                    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%6s", fmt(P_GRID[i])));
                    for (int j = 0; j < GAMMA_GRID.length; j++) {
                        row.append(String.format(Locale.ROOT, "%8.2f", sc[i][j]));
                        if (sc[i][j] < sc[bi][bj]) {
                            bi = i;
                            bj = j;
                        }
                    }
                    out.println(row);
                }
                out.printf(
                        Locale.ROOT,
                        "best: p = %s, γ₀ = %s, SC %.2f dB%n",
                        fmt(P_GRID[bi]),
                        fmt(GAMMA_GRID[bj]),
                        sc[bi][bj]);
                String key = name + "." + c.fftSize() + "." + c.hop();
                properties.add(key + ".p = " + fmt(P_GRID[bi]));
                properties.add(key + ".gamma0 = " + fmt(GAMMA_GRID[bj]));
            }
        }
        out.println();
        properties.forEach(out::println);
    }

    private static double[] grid(String property, double[] fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return Arrays.stream(v.split(","))
                .mapToDouble(x -> Double.parseDouble(x.trim()))
                .toArray();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
