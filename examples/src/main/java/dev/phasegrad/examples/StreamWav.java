package dev.phasegrad.examples;

import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.stft.StreamingStft;
import java.nio.file.Path;

/**
 * Streams a WAV file through phasegrad one hop at a time: the streaming STFT analyses it, the phase
 * is dropped, a {@link PhaseInverter} rebuilds the waveform from the magnitudes alone, and the
 * result is written as 16-bit WAV, aligned with the input.
 *
 * <pre>
 * java -cp cli/target/phasegrad.jar examples/src/main/java/dev/phasegrad/examples/StreamWav.java in.wav out.wav [method]
 * </pre>
 * (any class path with the core jar and JTransforms will do; {@code method} defaults to {@code phasegrad}).
 */
public final class StreamWav {
    private StreamWav() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: StreamWav in.wav out.wav [method]");
            System.exit(2);
        }
        Method method = args.length == 3 ? Method.fromName(args[2]) : Method.PHASEGRAD;
        Path out = Path.of(args[1]);
        int clipped = run(Path.of(args[0]), out, method);
        System.out.println("wrote " + out + (clipped > 0 ? " (" + clipped + " samples clipped)" : ""));
    }

    /** Reconstructs {@code in} with {@code method} into {@code out}; returns the number of clipped samples. */
    public static int run(Path in, Path out, Method method) throws Exception {
        StftConfig stft = StftConfig.hann(1024, 256); // what the built-in models are trained for
        Audio audio = Audio.read(in, stft.sampleRate()); // mono, resampled to 16 kHz if needed
        float[] x = audio.samples();
        PhaseInverter inverter = PhaseInverter.builder()
                .method(method)
                .stft(stft)
                .sampleRate(stft.sampleRate())
                .build();
        StreamingStft analysis = new StreamingStft(stft);

        int hop = stft.hop();
        int latency = inverter.latencySamples();
        // Past the end, zeros go in until every window that overlaps the signal has been analysed.
        int frames = (x.length + hop - 1) / hop + stft.fftSize() / hop - 1;
        float[] y = new float[frames * hop + latency];
        float[] hopIn = new float[hop];
        float[] re = new float[stft.bins()];
        float[] im = new float[stft.bins()];
        float[] magnitude = new float[stft.bins()];
        int written = 0;
        for (int t = 0; t < frames; t++) {
            int from = t * hop;
            for (int i = 0; i < hop; i++) {
                hopIn[i] = from + i < x.length ? x[from + i] : 0f;
            }
            analysis.push(hopIn, re, im);
            for (int k = 0; k < magnitude.length; k++) {
                magnitude[k] = (float) Math.hypot(re[k], im[k]);
            }
            written += inverter.push(magnitude, y, written); // hop samples, no allocation
        }
        written += inverter.flush(y, written); // the look-ahead and overlap-add tail

        // Output sample j reconstructs input sample j - latency: drop the delay, keep the input's length.
        float[] aligned = new float[x.length];
        System.arraycopy(y, latency, aligned, 0, Math.min(x.length, written - latency));
        return WavWriter.writePcm16(out, aligned, stft.sampleRate());
    }
}
