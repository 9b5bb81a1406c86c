package dev.phasegrad.metrics;

/** Input validation and trimming shared by the metrics. */
final class Signals {
    private Signals() {}

    /** Widens to double, rejecting null, empty and non-finite input. */
    static double[] toDouble(float[] x, String name) {
        if (x == null) {
            throw new IllegalArgumentException(name + " signal is null");
        }
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        check(d, name);
        return d;
    }

    /** Rejects null, empty and non-finite input with a message naming the signal and sample. */
    static void check(double[] x, String name) {
        if (x == null) {
            throw new IllegalArgumentException(name + " signal is null");
        }
        if (x.length == 0) {
            throw new IllegalArgumentException(name + " signal is empty");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException(name + " signal has non-finite sample " + x[i] + " at index " + i);
            }
        }
    }

    /** The first {@code n} samples (the array itself when it already has that length). */
    static double[] head(double[] x, int n) {
        if (x.length == n) {
            return x;
        }
        double[] h = new double[n];
        System.arraycopy(x, 0, h, 0, n);
        return h;
    }
}
