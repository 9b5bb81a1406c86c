package dev.phasegrad.bench;

import dev.phasegrad.invert.Methods;
import dev.phasegrad.invert.StreamingInverter;
import dev.phasegrad.stft.StftConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Plain-Java per-frame cost of one streaming inverter on the speech clip, for a machine too loaded
 * for wall-clock timing: reports thread CPU time per push (which excludes time spent preempted),
 * minimum and median over passes. With a fixed number of passes it is also the driver for
 * instruction counting under valgrind: the difference between two runs with different
 * {@code passes} divided by the extra pushes is the steady-state instruction count per frame.
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar dev.phasegrad.bench.FrameCost ls-heuristic 512/128 [warm-up passes] [passes]
 * </pre>
 */
public final class FrameCost {
    private FrameCost() {}

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: FrameCost METHOD FFT/HOP [WARMUP_PASSES] [PASSES]");
            System.exit(2);
        }
        String method = args[0];
        StftConfig c = SpeechClip.config(args[1]);
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int passes = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        SpeechClip clip = new SpeechClip(c);
        StreamingInverter s = Methods.streaming(method, c, clip.truth());
        float[] re = new float[c.bins()];
        float[] im = new float[c.bins()];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double check = 0;
        for (int p = 0; p < warmup; p++) {
            check += pass(s, clip, re, im);
        }
        double[] cpuNsPerFrame = new double[passes];
        for (int p = 0; p < passes; p++) {
            long t0 = threads.getCurrentThreadCpuTime();
            check += pass(s, clip, re, im);
            cpuNsPerFrame[p] = (threads.getCurrentThreadCpuTime() - t0) / (double) clip.frames();
        }
        double[] sorted = cpuNsPerFrame.clone();
        Arrays.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "%s %s: %d frames x %d passes, CPU us/frame min %.2f median %.2f (check %.6g)%n",
                method,
                args[1],
                clip.frames(),
                passes,
                passes > 0 ? sorted[0] / 1e3 : Double.NaN,
                passes > 0 ? sorted[passes / 2] / 1e3 : Double.NaN,
                check);
    }

    /** One pass over the clip from a reset inverter; returns a checksum of the output. */
    static double pass(StreamingInverter s, SpeechClip clip, float[] re, float[] im) {
        s.reset();
        double sum = 0;
        for (int t = 0; t < clip.frames(); t++) {
            if (s.push(clip.magnitude(t), re, im)) {
                sum += re[t % re.length];
            }
        }
        return sum;
    }
}
