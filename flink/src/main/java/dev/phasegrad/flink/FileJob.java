package dev.phasegrad.flink;

/** One input file of the batch job and where its reconstruction goes. A Flink POJO. */
public final class FileJob {
    /** The input WAV (or AIFF/AU), as the user named it. */
    public String input;
    /** The output WAV. */
    public String output;

    public FileJob() {}

    public FileJob(String input, String output) {
        this.input = input;
        this.output = output;
    }

    @Override
    public String toString() {
        return input + " -> " + output;
    }
}
