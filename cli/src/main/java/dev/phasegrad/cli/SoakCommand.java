package dev.phasegrad.cli;

import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.eval.LongStream;
import dev.phasegrad.stft.StftConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description = {
            "Stream hours of frames through streaming methods; check that the quality at the",
            "end is the quality at the start. The embedded clip and a second of a steady",
            "tone, repeated, go frame by frame through one inverter per method. A row per",
            "--every hours: spectral convergence over the period, ESTOI over its speech,",
            "peak and non-finite samples since the row before. Then the mean of the first " + LongStream.EDGE
                    + " periods",
            "against the last " + LongStream.EDGE + ": a method holds if SC moved by at most "
                    + LongStream.SC_TOLERANCE_DB + " dB, ESTOI by",
            "at most " + LongStream.ESTOI_TOLERANCE + ", the peak grew by at most x" + LongStream.PEAK_GROWTH
                    + " and no sample was non-finite.",
            "Exit 0 if every method holds. The test suite runs one hour (LongStreamTest)."
        },
        footer = {
            "",
            "Examples:",
            "  phasegrad soak --hours 24            # every streaming method, a row per hour",
            "  phasegrad soak --hours 24 --methods phasegrad,rtisi-la --threads 2",
            "  phasegrad soak --hours 0.05 --every 0.01 --methods spsi"
        })
final class SoakCommand implements Callable<Integer> {
    @Option(names = "--hours", paramLabel = "H", description = "Hours of audio per method (default ${DEFAULT-VALUE}).")
    double hours = 24;

    @Option(names = "--every", paramLabel = "H", description = "Hours between rows (default ${DEFAULT-VALUE}).")
    double every = 1;

    @Option(
            names = "--methods",
            split = ",",
            paramLabel = "M[,M...]",
            description = "Streaming methods (default: every one available at the STFT settings).")
    List<String> methods;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Methods run at once, one thread each (default: the processors, at most the methods).")
    Integer threads;

    @Mixin
    StftOptions stft = new StftOptions();

    @Override
    public Integer call() throws Exception {
        StftConfig config = stft.config();
        if (!(hours > 0) || hours > 10_000) {
            throw new Cli.UserError("--hours must be above 0 and at most 10000, got " + hours);
        }
        if (!(every > 0)) {
            throw new Cli.UserError("--every must be above 0 hours, got " + every);
        }
        List<Method> chosen = new ArrayList<>();
        if (methods == null) {
            for (Method m : Method.values()) {
                if (m.availableAt(config)) {
                    chosen.add(m);
                }
            }
        } else {
            for (String name : methods) {
                Method m;
                try {
                    m = Method.fromName(name);
                } catch (IllegalArgumentException e) {
                    throw new Cli.UserError(e.getMessage());
                }
                if (!m.availableAt(config)) {
                    throw new Cli.UserError("method '" + m + "' has no model for STFT " + config);
                }
                chosen.add(m);
            }
        }
        int n = threads != null
                ? threads
                : Math.min(chosen.size(), Runtime.getRuntime().availableProcessors());
        if (n < 1) {
            throw new Cli.UserError("--threads must be >= 1, got " + n);
        }
        LongStream stream = LongStream.embedded(config);
        long frames = stream.framesIn(hours);
        long step = Math.max(1, stream.framesIn(every));
        long needed = (long) (LongStream.EDGE + 1) * stream.periodFrames();
        if (frames < needed) {
            throw new Cli.UserError(String.format(
                    Locale.ROOT,
                    "--hours %s is %d frames; the check needs at least %d" + " (%d periods of %d frames, %.4f h)",
                    hours,
                    frames,
                    needed,
                    LongStream.EDGE + 1,
                    stream.periodFrames(),
                    needed * (double) config.hop() / config.sampleRate() / 3600));
        }
        PrintStream out = System.out;
        out.printf(
                Locale.ROOT,
                "soak: %.2f h (%d frames) per method at %s, period %d frames; %d thread(s)%n",
                hours,
                frames,
                config,
                stream.periodFrames(),
                n);
        out.printf(
                "%-18s %8s %9s %9s %8s %9s %11s %10s%n",
                "method", "hour", "period", "SC dB", "ESTOI", "peak", "non-finite", "elapsed s");
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<LongStream.Result>> results = new ArrayList<>();
        try {
            for (Method m : chosen) {
                results.add(pool.submit(() -> {
                    PhaseInverter inv =
                            PhaseInverter.builder().method(m).stft(config).build();
                    return stream.run(inv, frames, LongStream.EDGE, step, s -> {
                        synchronized (out) {
                            out.printf(
                                    Locale.ROOT,
                                    "%-18s %8.3f %9d %9.3f %8.4f %9.4f %11d %10.1f%n",
                                    m,
                                    s.hours(),
                                    s.period(),
                                    s.scDb(),
                                    s.estoi(),
                                    s.peak(),
                                    s.nonFinite(),
                                    s.seconds());
                            out.flush();
                        }
                    });
                }));
            }
            List<LongStream.Result> done = new ArrayList<>();
            for (Future<LongStream.Result> f : results) {
                done.add(f.get());
            }
            boolean allHold = true;
            out.println();
            for (int i = 0; i < chosen.size(); i++) {
                LongStream.Result r = done.get(i);
                boolean holds = r.holds();
                allHold &= holds;
                out.printf("%-18s %s: %s%n", chosen.get(i), r.describe(config), holds ? "holds" : "DRIFTS");
            }
            if (!allHold) {
                throw new Cli.UserError("the quality at the end differs from the start (rows above marked DRIFTS)");
            }
            return 0;
        } finally {
            pool.shutdownNow();
        }
    }
}
