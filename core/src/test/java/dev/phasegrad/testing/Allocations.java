package dev.phasegrad.testing;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the current thread, via HotSpot's ThreadMXBean extension. */
public final class Allocations {
    private static final com.sun.management.ThreadMXBean BEAN =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

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
}
