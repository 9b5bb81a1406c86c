package dev.phasegrad.examples;

import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.audio.Audio;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.stft.StreamingStft;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

/**
 * Plays a reconstruction on the sound card as it is made, hop by hop: analysis, inversion and
 * playback in one loop, the way a live stream runs. Without a file it plays the speech clip embedded
 * in the library. The only example that needs {@code java.desktop} (javax.sound); on a machine
 * without a sound device it says so and exits with status 3.
 *
 * <pre>
 * java -cp cli/target/phasegrad.jar examples/src/main/java/dev/phasegrad/examples/PlayWav.java [in.wav [method]]
 * </pre>
 */
public final class PlayWav {
    /** Exit status when there is no sound device to play on. */
    public static final int NO_DEVICE = 3;

    private PlayWav() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 2) {
            System.err.println("usage: PlayWav [in.wav [method]]");
            System.exit(2);
        }
        Audio audio = args.length > 0
                ? Audio.read(Path.of(args[0]))
                : Audio.readResource("/dev/phasegrad/clips/auth-incorrect.wav");
        Method method = args.length > 1 ? Method.fromName(args[1]) : Method.PHASEGRAD;
        int status = play(audio, method);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Plays {@code audio} reconstructed by {@code method}; 0 when played, {@link #NO_DEVICE} without a device. */
    public static int play(Audio audio, Method method) {
        StftConfig stft = StftConfig.hann(1024, 256);
        float[] x = audio.resample(stft.sampleRate()).samples();
        PhaseInverter inverter = PhaseInverter.builder()
                .method(method)
                .stft(stft)
                .sampleRate(stft.sampleRate())
                .build();
        AudioFormat format = new AudioFormat(stft.sampleRate(), 16, 1, true, false);
        SourceDataLine line;
        try {
            line = AudioSystem.getSourceDataLine(format);
            line.open(format, stft.sampleRate() / 2);
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            System.err.println("PlayWav: no sound device to play on ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); StreamWav writes a file instead");
            return NO_DEVICE;
        }
        line.start();
        StreamingStft analysis = new StreamingStft(stft);
        int hop = stft.hop();
        float[] hopIn = new float[hop];
        float[] re = new float[stft.bins()];
        float[] im = new float[stft.bins()];
        float[] magnitude = new float[stft.bins()];
        float[] pcm = new float[Math.max(hop, inverter.latencySamples())];
        byte[] bytes = new byte[2 * pcm.length];
        int frames = (x.length + hop - 1) / hop;
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < hop; i++) {
                hopIn[i] = t * hop + i < x.length ? x[t * hop + i] : 0f;
            }
            analysis.push(hopIn, re, im);
            for (int k = 0; k < magnitude.length; k++) {
                magnitude[k] = (float) Math.hypot(re[k], im[k]);
            }
            write(line, pcm, inverter.push(magnitude, pcm), bytes);
        }
        write(line, pcm, inverter.flush(pcm), bytes);
        line.drain();
        line.close();
        System.out.println("played " + String.format("%.2f", audio.durationSeconds()) + " s with " + method);
        return 0;
    }

    private static void write(SourceDataLine line, float[] pcm, int n, byte[] bytes) {
        for (int i = 0; i < n; i++) {
            int s = Math.round(Math.max(-1f, Math.min(1f, pcm[i])) * 32767f);
            bytes[2 * i] = (byte) s;
            bytes[2 * i + 1] = (byte) (s >> 8);
        }
        line.write(bytes, 0, 2 * n);
    }
}
