package dev.phasegrad.cli;

import dev.phasegrad.MelVocoder;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.audio.MagnitudeFrames;
import dev.phasegrad.stft.StftConfig;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "stream",
        mixinStandardHelpOptions = true,
        description = {
            "Invert magnitude frames arriving on standard input; write audio to standard",
            "output as each hop is ready (flushed per hop), for shell pipelines.",
            "Input: raw little-endian float32, --bins values per frame, or an .npy stream",
            "(detected by its \\x93NUMPY magic; float32/float64 [frames, bins], C order),",
            "in phasegrad's frame grid.",
            "Output: the samples 'phasegrad invert' writes for the same frames, bit for bit:",
            "the causal delay (N - hop, plus the look-ahead) is not emitted, and at end of",
            "input the look-ahead is drained with silent frames, so output sample i is",
            "signal sample i.",
            "--format wav sends a WAV header first with the streaming 'size unknown' sizes;",
            "when standard output is a regular file they are rewritten at the end."
        },
        footer = {
            "",
            "Examples:",
            "  python tts.py | phasegrad stream --bins 513 | aplay -f S16_LE -r 16000",
            "  phasegrad stream --log --format wav < frames.npy > out.wav",
            "  phasegrad stream --method rtpghi-la1 --fft 512 --hop 128 --format f32le < mags.f32 > out.f32",
            "  phasegrad stream --play < frames.npy"
        })
final class StreamCommand implements Callable<Integer> {
    /**
     * Set by {@link Main#main} only: the process's own standard output, written unbuffered and
     * seekable when it is a file. In-process callers (tests) redirect {@link System#out}, which a
     * file descriptor would bypass, so they get {@code System.out}.
     */
    static volatile boolean ownsStdout;

    @Mixin
    StftOptions stft = new StftOptions();

    @Mixin
    MethodOptions method = new MethodOptions();

    @Mixin
    FeatureOptions features = new FeatureOptions();

    @Option(
            names = "--bins",
            paramLabel = "B",
            description = "Values per frame; must be the STFT's N/2+1 (default: that, 513 for --fft 1024).")
    Integer bins;

    @Option(names = "--log", description = "The frames hold natural-log magnitudes ln|X| (exp is applied).")
    boolean log;

    @Option(
            names = "--format",
            paramLabel = "F",
            description = "s16le (default), f32le or wav (16-bit PCM; 32-bit float with --float).")
    AudioOutput.Format format = AudioOutput.Format.s16le;

    @Option(names = "--float", description = "With --format wav: 32-bit float samples instead of 16-bit PCM.")
    boolean float32;

    @Option(names = "--play", description = "Play on the default sound device instead of writing standard output.")
    boolean play;

    @Override
    public Integer call() throws Exception {
        StftConfig config = features.config(stft);
        if (features.active()) {
            method.forMel(features.spec());
        }
        int values = features.active() ? features.spec().bands() : config.bins();
        if (bins != null && bins != values) {
            throw new Cli.UserError(
                    features.active()
                            ? "--bins " + bins + " does not match --features "
                                    + features.spec().name() + " (" + values + " bands)"
                            : "--bins " + bins + " does not match --fft " + config.fftSize() + " (" + config.bins()
                                    + " bins per frame); pass --fft " + 2 * (bins - 1) + " (and its --hop) for " + bins
                                    + "-bin frames");
        }
        if (float32 && format != AudioOutput.Format.wav) {
            throw new Cli.UserError("--float applies to --format wav only (f32le is float already)");
        }
        if (log && features.active()) {
            throw new Cli.UserError(
                    "--log does not apply with --features (the features carry the front end's own log)");
        }
        Chain chain = features.active()
                ? Chain.of(method.buildVocoder(features.spec(), features.inversion()))
                : Chain.of(method.buildStreaming(config));
        if (play) {
            try (SoundDevice device = SoundDevice.open(config.sampleRate())) {
                return finish(run(
                        chain,
                        System.in,
                        log,
                        new AudioOutput(
                                device,
                                "sound device",
                                true,
                                null,
                                AudioOutput.Format.s16le,
                                false,
                                config.sampleRate(),
                                config.hop())));
            }
        }
        if (ownsStdout) {
            FileOutputStream fd = new FileOutputStream(FileDescriptor.out);
            return finish(run(
                    chain,
                    System.in,
                    log,
                    new AudioOutput(
                            fd,
                            "stdout",
                            true,
                            seekable(fd.getChannel()),
                            format,
                            float32,
                            config.sampleRate(),
                            config.hop())));
        }
        return finish(run(
                chain,
                System.in,
                log,
                new AudioOutput(System.out, "stdout", true, null, format, float32, config.sampleRate(), config.hop())));
    }

    private static int finish(AudioOutput out) {
        if (out.clipped() > 0) {
            System.err.printf(
                    "warning: %d samples clipped to [-1, 1) in 16-bit output; use --format f32le to keep them%n",
                    out.clipped());
        }
        return 0;
    }

    /** The channel if it can seek (a regular file or a device); null for a pipe or socket. */
    static FileChannel seekable(FileChannel channel) {
        try {
            channel.position();
            return channel;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * What the stream loop drives: frames of {@link #values()} in, samples out. Magnitudes go through a
     * {@link PhaseInverter} (its output delay trimmed, as invert trims it), log-mel features through a
     * {@link MelVocoder} (aligned by the vocoder itself).
     */
    interface Chain {
        int values();

        /** True when the frames are log-mel features (any finite value), false for magnitudes. */
        default boolean readsFeatures() {
            return false;
        }

        int hop();

        /** Buffer size {@link #flush} needs. */
        int tail();

        /** Pushes one frame; returns how many of {@code out}'s samples are output. */
        int push(float[] frame, float[] out);

        int flush(float[] out);

        static Chain of(PhaseInverter inverter) {
            return new Chain() {
                // the output lags the signal by this much; invert trims it, so the stream does too
                private int skip = inverter.latencySamples();

                public int values() {
                    return inverter.bins();
                }

                public int hop() {
                    return inverter.hop();
                }

                public int tail() {
                    return inverter.latencySamples();
                }

                public int push(float[] frame, float[] out) {
                    return trim(out, inverter.push(frame, out));
                }

                public int flush(float[] out) {
                    inverter.flush(out);
                    // of the overlap-add tail, only what invert keeps (the signal's end lies inside the last
                    // frame's analysis padding): the drained look-ahead
                    return trim(out, inverter.lookahead() * inverter.hop());
                }

                /** Drops what is left of the delay from the front of {@code out[0 .. n)}; returns what stays. */
                private int trim(float[] out, int n) {
                    int drop = Math.min(skip, n);
                    skip -= drop;
                    if (drop > 0) {
                        System.arraycopy(out, drop, out, 0, n - drop);
                    }
                    return n - drop;
                }
            };
        }

        static Chain of(MelVocoder vocoder) {
            return new Chain() {
                public int values() {
                    return vocoder.bands();
                }

                @Override
                public boolean readsFeatures() {
                    return true;
                }

                public int hop() {
                    return vocoder.hop();
                }

                public int tail() {
                    return vocoder.maxFlushSamples();
                }

                public int push(float[] frame, float[] out) {
                    return vocoder.push(frame, out);
                }

                public int flush(float[] out) {
                    return vocoder.flush(out);
                }
            };
        }
    }

    /**
     * The stream loop: one frame in, the samples it completes out (flushed per hop); at the end of input
     * the chain's tail. Allocates only before the loop.
     */
    static AudioOutput run(Chain chain, InputStream in, boolean log, AudioOutput out) throws IOException {
        MagnitudeFrames frames = chain.readsFeatures()
                ? MagnitudeFrames.openFeatures(in, "stdin", chain.values())
                : MagnitudeFrames.open(in, "stdin", chain.values(), log);
        return run(chain, frames, out);
    }

    static AudioOutput run(Chain chain, MagnitudeFrames frames, AudioOutput out) throws IOException {
        float[] frame = new float[chain.values()];
        float[] hop = new float[chain.hop()];
        float[] tail = new float[chain.tail()];
        out.begin();
        boolean done = false;
        try {
            while (frames.next(frame)) {
                emit(hop, chain.push(frame, hop), out);
            }
            if (frames.frames() == 0) {
                throw new Cli.UserError("stdin: no frames (empty input)");
            }
            emit(tail, chain.flush(tail), out);
            done = true;
        } finally {
            if (!done) {
                // keep what was written a valid file (WAV sizes patched); the error is what gets reported
                try {
                    out.finish();
                } catch (IOException | RuntimeException ignored) {
                    // the original failure is the one to report
                }
            }
        }
        String warning = out.finish();
        if (warning != null) {
            System.err.println(warning);
        }
        return out;
    }

    /** Writes {@code block[0 .. n)}, one hop at most per call (AudioOutput encodes one hop at a time). */
    private static void emit(float[] block, int n, AudioOutput out) throws IOException {
        for (int from = 0; from < n; from += out.maxSamples()) {
            out.write(block, from, Math.min(out.maxSamples(), n - from));
        }
    }
}
