package dev.phasegrad.examples;

import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.audio.Npy;
import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.stft.StftConfig;
import java.nio.file.Path;

/**
 * Turns a spectrogram of log-magnitudes into audio: a NumPy {@code .npy} of shape (frames, N/2 + 1),
 * float32, ln|X| on phasegrad's frame grid (e.g. {@code np.log(np.abs(stft))} of a Hann 1024 / hop 256
 * STFT at 16 kHz; see {@code StftConfig} for the grid and phase convention), pushed frame by frame
 * into a {@link PhaseInverter}.
 *
 * <pre>
 * java -cp cli/target/phasegrad.jar examples/src/main/java/dev/phasegrad/examples/InvertNpy.java logmag.npy out.wav [method]
 * </pre>
 */
public final class InvertNpy {
    private InvertNpy() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: InvertNpy logmag.npy out.wav [method]");
            System.exit(2);
        }
        Method method = args.length == 3 ? Method.fromName(args[2]) : Method.PHASEGRAD;
        Path out = Path.of(args[1]);
        int samples = run(Path.of(args[0]), out, method);
        System.out.println("wrote " + out + " (" + samples + " samples)");
    }

    /** Reconstructs the log-magnitudes in {@code npy} into {@code out}; returns the number of samples written. */
    public static int run(Path npy, Path out, Method method) throws Exception {
        StftConfig stft = StftConfig.hann(1024, 256);
        float[][] logMagnitude = Npy.read(npy);
        if (logMagnitude[0].length != stft.bins()) {
            throw new IllegalArgumentException(
                    npy + ": " + logMagnitude[0].length + " bins per frame, " + stft + " needs " + stft.bins());
        }
        PhaseInverter inverter = PhaseInverter.builder()
                .method(method)
                .stft(stft)
                .sampleRate(stft.sampleRate())
                .build();
        int latency = inverter.latencySamples();
        float[] y = new float[logMagnitude.length * stft.hop() + latency];
        int written = 0;
        for (float[] frame : logMagnitude) {
            written += inverter.pushLog(frame, y, written); // ln|X| in, hop samples out
        }
        written += inverter.flush(y, written);

        // Output sample j is the analysed signal's sample j - latency: drop the delay.
        float[] aligned = new float[written - latency];
        System.arraycopy(y, latency, aligned, 0, aligned.length);
        WavWriter.writePcm16(out, aligned, stft.sampleRate());
        return aligned.length;
    }
}
