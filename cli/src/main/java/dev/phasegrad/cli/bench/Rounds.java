package dev.phasegrad.cli.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Passes over a clip timed side by side, the way every {@code phasegrad bench} table is measured:
 * untimed warm-up rounds (at least {@value #WARMUP_ROUNDS}, and at least the warm-up time of wall
 * clock, since on a loaded machine the JIT threads lag behind the counters), then the timed rounds,
 * each running every pass once in the order they were added, so that all passes see the same
 * machine load. A pass's time is the CPU time of this thread per unit of work (a frame, or a frame
 * and iteration): on a machine shared with other jobs, wall time adds whatever the scheduler takes
 * away mid-pass, which made single runs vary by 2×; CPU time does not.
 */
final class Rounds {
    /** Untimed rounds first: one pass was not always enough for C2 to compile every method. */
    static final int WARMUP_ROUNDS = 3;

    /** The warm-up's least wall time unless told otherwise. */
    static final Duration DEFAULT_WARMUP = Duration.ofSeconds(3);

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private record Pass(double[] us, long units, boolean warmOnce, Runnable body) {}

    private final int rounds;
    private final Duration warmup;
    private final List<Pass> passes = new ArrayList<>();

    Rounds(int rounds, Duration warmup) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        this.rounds = rounds;
        this.warmup = warmup;
    }

    /**
     * Adds a pass run in every round; returns the array {@link #run} fills with its µs per unit, one
     * value per timed round.
     */
    double[] add(long units, Runnable pass) {
        return add(units, false, pass);
    }

    /** {@link #add} for a pass too slow to repeat in warm-up (an offline method): warmed up by one run. */
    double[] addWarmedOnce(long units, Runnable pass) {
        return add(units, true, pass);
    }

    private double[] add(long units, boolean warmOnce, Runnable body) {
        double[] us = new double[rounds];
        passes.add(new Pass(us, Math.max(1, units), warmOnce, body));
        return us;
    }

    /** Warms up, then times every pass in every round. */
    void run() {
        long warmStart = System.nanoTime();
        long warmNanos = warmup.toNanos();
        for (int warm = 0; warm < WARMUP_ROUNDS || System.nanoTime() - warmStart < warmNanos; warm++) {
            for (Pass p : passes) {
                if (warm == 0 || !p.warmOnce) {
                    p.body.run();
                }
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (Pass p : passes) {
                long a = cpuNanos();
                p.body.run();
                p.us[r] = (cpuNanos() - a) / 1e3 / p.units;
            }
        }
    }

    /** CPU time of this thread, in nanoseconds. */
    static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Bytes this thread has allocated so far. */
    static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : (n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]));
    }
}
