package dev.phasegrad.cli;

import dev.phasegrad.audio.AudioStream;
import dev.phasegrad.audio.InputFileException;
import dev.phasegrad.audio.Resampler;
import dev.phasegrad.stft.StftConfig;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Inputs of the file commands, read in constant memory: where they come from (a file or standard
 * input), what they are (.npy or audio), and audio as blocks of samples at the working rate.
 * The bounds of the whole-signal paths (offline methods, the oracles, eval) live here too.
 */
final class Signals {
    /**
     * Spectrogram values (frames × bins) the whole-signal paths hold at most: 936 s at 16 kHz with the
     * default STFT, which keeps the offline methods' several spectrogram copies and eval's metrics
     * within the launcher's default -Xmx2g.
     */
    static final long MAX_WHOLE_CELLS = 30_000_000L;

    private Signals() {}

    /** A command's input: a file, or standard input ("-") with its first bytes looked at. */
    record Input(Path path, InputStream stdin, String name, boolean npy) {
        static Input of(Path path) throws IOException {
            if (path.toString().equals("-")) {
                BufferedInputStream in = new BufferedInputStream(System.in, 1 << 16);
                in.mark(8);
                byte[] magic = in.readNBytes(6);
                in.reset();
                boolean npy = magic.length == 6
                        && (magic[0] & 0xFF) == 0x93
                        && magic[1] == 'N'
                        && magic[2] == 'U'
                        && magic[3] == 'M'
                        && magic[4] == 'P'
                        && magic[5] == 'Y';
                return new Input(null, in, "stdin", npy);
            }
            return new Input(
                    path,
                    null,
                    path.toString(),
                    path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy"));
        }

        boolean isStdin() {
            return path == null;
        }
    }

    /** The longest signal, in samples at {@code config}'s rate, whose spectrogram a whole-signal path holds. */
    static long maxWholeSamples(StftConfig config) {
        long frames = MAX_WHOLE_CELLS / config.bins();
        return Math.max(0, frames * config.hop() - config.analysisSynthesisDelay());
    }

    /** The bound above in words, for messages: "935 s at Hann 1024 / hop 256 @ 16000 Hz". */
    static String wholeLimit(StftConfig config) {
        return String.format(
                Locale.ROOT, "%.0f s at %s", maxWholeSamples(config) / (double) config.sampleRate(), config);
    }

    /**
     * Audio as blocks of samples at a working rate: decoded block by block, resampled block-wise when the
     * input's rate differs (the same samples as {@link dev.phasegrad.audio.Audio#read(Path, int)}, bit for
     * bit). Holds a few blocks whatever the length.
     */
    static final class Samples implements Closeable {
        private final AudioStream in;
        private final Resampler.Stream resampler;
        private final float[] raw = new float[AudioStream.BLOCK];
        private final int rate;
        private boolean ended;

        private Samples(AudioStream in, int rate) {
            this.in = in;
            this.rate = rate;
            this.resampler = in.sampleRate() == rate ? null : new Resampler(in.sampleRate(), rate).stream();
        }

        static Samples open(Input input, int rate) throws InputFileException {
            AudioStream s =
                    input.isStdin() ? AudioStream.open(input.stdin(), input.name()) : AudioStream.open(input.path());
            return new Samples(s, rate);
        }

        String name() {
            return in.name();
        }

        /** Samples at the working rate the header declares; -1 when it does not say. */
        long declaredLength() {
            long d = in.declaredFrames();
            if (d < 0 || resampler == null) {
                return d;
            }
            return new Resampler(in.sampleRate(), rate).outputLength(d);
        }

        /** The buffer size {@link #read} needs. */
        int maxBlock() {
            return resampler == null
                    ? AudioStream.BLOCK
                    : Math.max(resampler.maxOutput(AudioStream.BLOCK), resampler.maxFinish());
        }

        /**
         * The next samples into {@code out[0 ..)}, which holds {@link #maxBlock()}; allocation-free.
         *
         * @return how many (≥ 1), or -1 at the end
         */
        int read(float[] out) throws InputFileException {
            while (!ended) {
                int r = in.read(raw, 0, raw.length);
                if (r < 0) {
                    ended = true;
                    int n = resampler == null ? 0 : resampler.finish(out, 0);
                    return n > 0 ? n : -1;
                }
                if (resampler == null) {
                    System.arraycopy(raw, 0, out, 0, r);
                    return r;
                }
                int n = resampler.push(raw, 0, r, out, 0);
                if (n > 0) {
                    return n;
                }
            }
            return -1;
        }

        /**
         * Every sample, for the whole-signal paths, refusing a signal longer than {@code max} samples
         * before holding it.
         *
         * @param refusal the message's end after "NAME: more than N s", e.g. why the bound exists
         */
        float[] readAll(long max, String refusal) throws InputFileException {
            long declared = declaredLength();
            if (declared > max) {
                throw tooLong(declared, refusal);
            }
            float[] block = new float[maxBlock()];
            float[] all = new float[(int) Math.min(max, Math.max(declared, block.length))];
            int n = 0;
            for (int r; (r = read(block)) > 0; ) {
                if ((long) n + r > max) {
                    throw tooLong(-1, refusal);
                }
                if (n + r > all.length) {
                    all = Arrays.copyOf(all, (int) Math.min(max, Math.max(2L * all.length, n + r)));
                }
                System.arraycopy(block, 0, all, n, r);
                n += r;
            }
            return n == all.length ? all : Arrays.copyOf(all, n);
        }

        private Cli.UserError tooLong(long samples, String refusal) {
            String length = samples >= 0 ? String.format(Locale.ROOT, "%.1f s", samples / (double) rate) : "too long";
            return new Cli.UserError(in.name() + ": " + length + " " + refusal);
        }

        @Override
        public void close() {
            in.close();
        }
    }
}
