package dev.phasegrad.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar on an interactive terminal; silent when there is no console or CI=true,
 * so logs stay clean. Thread-safe: batch workers step it concurrently.
 */
final class Progress implements AutoCloseable {
    private final PrintStream out;
    private final boolean enabled;
    private final String label;
    private final long total;
    private long done;
    private long lastDraw;

    Progress(String label, long total) {
        this(label, total, System.err, interactive());
    }

    Progress(String label, long total, PrintStream out, boolean enabled) {
        this.label = label;
        this.total = Math.max(1, total);
        this.out = out;
        this.enabled = enabled;
    }

    static boolean interactive() {
        String ci = System.getenv("CI");
        return System.console() != null && !(ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false"));
    }

    synchronized void step(String what) {
        done++;
        draw(what, false);
    }

    private void draw(String what, boolean force) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L && done < total) {
            return;
        }
        lastDraw = now;
        int width = 30;
        int filled = (int) (width * Math.min(done, total) / total);
        String bar = "#".repeat(filled) + " ".repeat(width - filled);
        String text = String.format(
                "\r%s [%s] %3d%% %s", label, bar, 100 * Math.min(done, total) / total, what == null ? "" : what);
        out.print(text.length() > 110 ? text.substring(0, 110) : String.format("%-110s", text));
        out.flush();
    }

    @Override
    public synchronized void close() {
        if (enabled) {
            out.print("\r" + " ".repeat(112) + "\r");
            out.flush();
        }
    }
}
