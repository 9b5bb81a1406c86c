package dev.phasegrad.flink;

import dev.phasegrad.PhaseInverter;
import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * One file of the batch job: read (resampled to the job's rate, mixed to mono), analysed on
 * phasegrad's frame grid, the phase dropped, inverted frame by frame, aligned with the input and
 * written as 16-bit WAV through a temporary file and a rename: the samples {@code phasegrad invert}
 * writes for the same file and method. A file that cannot be read, inverted or written goes to
 * {@link #FAILED} with one line naming it, and the job goes on.
 *
 * <p>A file, not a frame, is the unit of work here: a whole file's frames on one task need no shuffle
 * and no keyed state, and files spread over the tasks. The streaming job ({@link InvertFrames}) is the
 * one for frames arriving over time.
 */
public final class InvertFile extends ProcessFunction<FileJob, FileOutcome> {
    private static final long serialVersionUID = 1L;

    /** Files that failed, with the reason. */
    public static final OutputTag<FileOutcome> FAILED =
            new OutputTag<>("phasegrad-failed-files", TypeInformation.of(FileOutcome.class));

    private final InverterSpec spec;
    private transient PhaseInverter inverter;

    public InvertFile(InverterSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext context) {
        inverter = spec.build(); // one per task, reset between files; the model is loaded here
    }

    @Override
    public void processElement(FileJob job, Context ctx, Collector<FileOutcome> out) {
        long start = System.nanoTime();
        try {
            out.collect(invert(job, start));
        } catch (IOException | IllegalArgumentException e) {
            inverter.reset();
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            ctx.output(FAILED, FileOutcome.failed(job, m.startsWith(job.input) ? m : job.input + ": " + m));
        }
    }

    private FileOutcome invert(FileJob job, long start) throws IOException {
        StftConfig config = spec.stft();
        float[] x = Audio.read(Path.of(job.input), config.sampleRate()).samples();
        float[][] magnitude = Stft.magnitude(x, config);
        float[] y = new float[magnitude.length * inverter.hop() + inverter.latencySamples()];
        int at = 0;
        for (int t = 0; t < magnitude.length; t++) {
            try {
                at += inverter.push(magnitude[t], y, at);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(job.input + ": " + e.getMessage(), e);
            }
        }
        inverter.flush(y, at);
        // output sample j reconstructs input sample j - latency
        float[] aligned = new float[x.length];
        System.arraycopy(y, inverter.latencySamples(), aligned, 0, x.length);

        Path target = Path.of(job.output);
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        FileOutcome o = new FileOutcome();
        o.clipped = WavWriter.writePcm16(target, aligned, config.sampleRate());
        o.input = job.input;
        o.output = job.output;
        o.ok = true;
        o.seconds = x.length / (double) config.sampleRate();
        o.frames = magnitude.length;
        o.scDb = spectralConvergenceDb(magnitude, Stft.magnitude(aligned, config));
        o.millis = (System.nanoTime() - start) / 1e6;
        return o;
    }

    /** 20 log10(‖S − Ŝ‖ / ‖S‖) over all frames and bins. */
    static double spectralConvergenceDb(float[][] s, float[][] estimate) {
        double diff = 0;
        double ref = 0;
        for (int t = 0; t < s.length; t++) {
            for (int k = 0; k < s[t].length; k++) {
                double d = s[t][k] - estimate[t][k];
                diff += d * d;
                ref += (double) s[t][k] * s[t][k];
            }
        }
        return ref == 0 ? Double.NEGATIVE_INFINITY : 10 * Math.log10(diff / ref);
    }
}
