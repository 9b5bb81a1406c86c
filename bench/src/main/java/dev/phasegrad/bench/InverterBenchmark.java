package dev.phasegrad.bench;

import dev.phasegrad.invert.Methods;
import dev.phasegrad.invert.StreamingInverter;
import dev.phasegrad.stft.StftConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@link StreamingInverter#push} (one frame of phase reconstruction, including derivative
 * estimation) of a catalogue method, streaming the speech clip's magnitudes in order. At the end of
 * the clip the inverter is reset and the clip starts again (one reset per ~300 pushes), so the
 * oracle method keeps seeing the frames its truth belongs to.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InverterBenchmark {
    /** Catalogue name ({@link Methods}); {@code ls-heuristic} is the LS path without a model. */
    @Param({"ls-heuristic", "ls-oracle", "rtpghi", "spsi", "rtisi-la"})
    public String method;

    @Param({"512/128", "1024/256"})
    public String stft;

    SpeechClip clip;
    StreamingInverter inverter;
    float[] re;
    float[] im;
    int frame;

    @Setup
    public void setup() {
        StftConfig c = SpeechClip.config(stft);
        clip = new SpeechClip(c);
        inverter = Methods.streaming(method, c, clip.truth());
        re = new float[c.bins()];
        im = new float[c.bins()];
        frame = 0;
    }

    /** Returns whether a frame came out, so the work cannot be eliminated. */
    @Benchmark
    public boolean push() {
        if (frame == clip.frames()) {
            frame = 0;
            inverter.reset();
        }
        return inverter.push(clip.magnitude(frame++), re, im);
    }
}
