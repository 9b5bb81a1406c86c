package dev.phasegrad.flink;

import java.util.Locale;

/** What the batch job did with one file: its metrics, or why it failed. A Flink POJO. */
public final class FileOutcome {
    public String input;
    public String output;
    /** False for a file that could not be read, inverted or written; {@link #message} says why. */
    public boolean ok;
    /** One line, naming the file, for a failure; empty otherwise. */
    public String message = "";

    public double seconds;
    public long frames;
    /** Wall-clock milliseconds spent on the file in its task. */
    public double millis;
    /** Spectral convergence of the output's magnitudes against the input's, dB (lower is better). */
    public double scDb;
    /** Output samples outside the 16-bit range, clipped when written. */
    public int clipped;

    public FileOutcome() {}

    static FileOutcome failed(FileJob job, String message) {
        FileOutcome o = new FileOutcome();
        o.input = job.input;
        o.output = job.output;
        o.message = message;
        return o;
    }

    /** The header of {@link #row()}. */
    static final String HEADER = "input\toutput\tok\tseconds\tframes\tms\trtf\tsc_db\tclipped\tmessage";

    /** {@return one tab-separated line of the metrics table} */
    String row() {
        return String.format(
                Locale.ROOT,
                "%s\t%s\t%s\t%.3f\t%d\t%.1f\t%.4f\t%.2f\t%d\t%s",
                input,
                output,
                ok,
                seconds,
                frames,
                millis,
                seconds > 0 ? millis / 1000 / seconds : 0,
                scDb,
                clipped,
                message);
    }

    @Override
    public String toString() {
        return ok ? input + " -> " + output : message;
    }
}
