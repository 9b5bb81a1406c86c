package dev.phasegrad.testing;

import com.sun.management.ThreadMXBean;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.invert.StreamingInverter;
import java.lang.management.ManagementFactory;

/** Bytes allocated by the current thread, via HotSpot's ThreadMXBean extension. */
public final class Allocations {
    private static final ThreadMXBean BEAN = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Measured passes before a steady-state check gives up; see {@link #steadyState}. */
    private static final int PASSES = 5;

    private Allocations() {}

    public static long current() {
        return BEAN.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Bytes allocated by {@code r}, minus the cost of the measurement itself. */
    public static long of(Runnable r) {
        long a0 = current();
        long a1 = current();
        r.run();
        long a2 = current();
        return Math.max(0, (a2 - a1) - (a1 - a0));
    }

    /**
     * One pass of a stream, the unit these checks measure: reset, then push every frame. The output
     * buffers are made here, once, so the pass itself allocates only what the inverter does.
     */
    public static Runnable streamPass(StreamingInverter inv, float[][] frames) {
        float[] re = new float[frames[0].length];
        float[] im = new float[frames[0].length];
        return () -> {
            inv.reset();
            for (float[] f : frames) {
                inv.push(f, re, im);
            }
        };
    }

    /**
     * One pass of the public chain: push every frame, then flush (which also resets). Output buffers are
     * made here, once.
     */
    public static Runnable streamPass(PhaseInverter inv, float[][] frames) {
        float[] pcm = new float[inv.hop()];
        float[] tail = new float[inv.latencySamples()];
        return () -> {
            for (float[] f : frames) {
                inv.push(f, pcm);
            }
            inv.flush(tail);
        };
    }

    /**
     * Fails (rather than skips) outside -Xint: run compiled, an interpreted-allocation test would check
     * something weaker without saying so.
     */
    public static void requireInterpreted() {
        String info = System.getProperty("java.vm.info", "");
        if (!info.contains("interpreted")) {
            throw new AssertionError("this test means something only under -Xint (surefire execution 'interpreted'); "
                    + "java.vm.info is '" + info + "'");
        }
    }

    /**
     * Bytes allocated by the second run of {@code r}, for interpreted code (-Xint): the first run
     * resolves classes and call sites, which allocates once; without a JIT nothing else changes.
     */
    public static long afterFirstUse(Runnable r) {
        r.run();
        return of(r);
    }

    /**
     * Steady-state bytes allocated by {@code r}: the least over up to 5 passes, stopping at the first
     * pass that allocates nothing. Why not one pass: a JIT transition inside the measured pass (C2
     * code made not entrant and the method re-entered in the interpreter, seen with
     * -XX:+PrintCompilation in the failing runs) allocated 136–3008 bytes once, about one fresh JVM
     * in 25 on a loaded 2-core machine, while the same code under -Xint allocates nothing. Code that
     * allocates per call allocates in every pass, so this still fails on it; an allocation C2 removes
     * would pass, which is what the -Xint tests (tag "interpreted") are for.
     */
    public static long steadyState(Runnable r) {
        long least = Long.MAX_VALUE;
        for (int pass = 0; pass < PASSES && least > 0; pass++) {
            least = Math.min(least, of(r));
        }
        return least;
    }
}
