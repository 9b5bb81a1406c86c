package dev.phasegrad.bench;

import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.stft.StreamingIstft;
import dev.phasegrad.stft.StreamingStft;
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
 * One hop of streaming analysis ({@link StreamingStft#push}: window, shift, real FFT) and one frame of
 * streaming synthesis ({@link StreamingIstft#push}: inverse FFT, dual window, overlap-add) on the
 * speech clip.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StftBenchmark {
    @Param({"512/128", "1024/256"})
    public String stft;

    SpeechClip clip;
    StreamingStft analysis;
    StreamingIstft synthesis;
    float[] re;
    float[] im;
    float[] hop;
    int analysed;
    int synthesised;

    @Setup
    public void setup() {
        StftConfig c = SpeechClip.config(stft);
        clip = new SpeechClip(c);
        analysis = new StreamingStft(c);
        synthesis = new StreamingIstft(c);
        re = new float[c.bins()];
        im = new float[c.bins()];
        hop = new float[c.hop()];
        analysed = 0;
        synthesised = 0;
    }

    /** Returns one output bin so the work cannot be eliminated. */
    @Benchmark
    public float stftPush() {
        if (analysed == clip.frames()) {
            analysed = 0;
        }
        analysis.push(clip.signal(), analysed++ * clip.config().hop(), re, im);
        return re[1];
    }

    /** Returns one output sample so the work cannot be eliminated. */
    @Benchmark
    public float istftPush() {
        if (synthesised == clip.frames()) {
            synthesised = 0;
        }
        int t = synthesised++;
        synthesis.push(clip.truth().re()[t], clip.truth().im()[t], hop);
        return hop[0];
    }
}
