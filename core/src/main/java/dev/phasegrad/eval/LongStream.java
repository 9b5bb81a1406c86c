package dev.phasegrad.eval;

import dev.phasegrad.PhaseInverter;
import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.InputFileException;
import dev.phasegrad.metrics.SpectralConvergence;
import dev.phasegrad.metrics.Stoi;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * A stream of any length through one streaming inverter, scored as it goes: one period (the embedded
 * speech clip, then a second of a steady tone, then silence up to an even number of hops) repeated
 * without a break, its STFT magnitude frames pushed one by one, and the reconstruction of chosen periods
 * scored against the period itself: spectral convergence over the whole period, ESTOI over its speech.
 * The input being exactly periodic, a method that keeps its quality scores its last periods as it
 * scored its first; whatever grows with the stream (phase accumulators, counters, ring indices, sums)
 * shows as a difference between them, as a peak that grows, or as a non-finite sample.
 *
 * <p>The start is the first {@code edge} periods, the end the last {@code edge} complete ones; the
 * stream holds if their mean scores differ by at most {@link #SC_TOLERANCE_DB} and
 * {@link #ESTOI_TOLERANCE}, no sample is non-finite and the peak at the end is at most
 * {@link #PEAK_GROWTH} times the peak at the start. Memory is constant: one period's frames and one
 * period of samples, whatever the length. The long-stream test runs an hour of frames per method;
 * {@code phasegrad soak} any number of hours, with a row per hour.
 */
public final class LongStream {
    /**
     * Periods scored at each end by the long-stream test and {@code phasegrad soak}: their means are compared,
     * as single periods of {@code rtisi-la} differ by up to 1 dB (its window carries state across the
     * period's silence).
     */
    public static final int EDGE = 8;
    /** Largest difference of mean spectral convergence, start against end, for a stream that holds. */
    public static final double SC_TOLERANCE_DB = 0.5;
    /** Largest difference of mean ESTOI, start against end, for a stream that holds. */
    public static final double ESTOI_TOLERANCE = 0.003;
    /** Largest ratio of the end's peak sample to the start's for a stream that holds. */
    public static final double PEAK_GROWTH = 1.5;

    /** Seconds of the steady tone after the speech. */
    static final double TONE_SECONDS = 1.0;
    /** The tone, between bin centres at every setting phasegrad ships: its phase advances at a rate no bin has. */
    static final double TONE_HZ = 523.25;

    private final StftConfig config;
    private final float[] period;
    /** Samples of speech at the start of the period, what ESTOI scores (a steady tone has no envelope to track). */
    private final int speech;

    private final float[][] frames;

    private LongStream(StftConfig config, float[] period, int speech) {
        this.config = config;
        this.period = period;
        this.speech = speech;
        this.frames = periodicFrames(period, config);
    }

    /**
     * The period made of the embedded clip {@code auth-incorrect} at the settings' sample rate.
     *
     * @param config STFT settings, sample rate included
     * @return the long stream's source
     */
    public static LongStream embedded(StftConfig config) {
        try {
            float[] clip = Audio.readResource("/dev/phasegrad/clips/auth-incorrect.wav")
                    .resample(config.sampleRate())
                    .samples();
            return of(clip, config);
        } catch (InputFileException e) {
            throw new IllegalStateException("the embedded clip cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The period made of {@code speech}: the speech, a second of a steady tone with 10 ms ramps, then at
     * least a window of silence, up to an even number of hops (so that a method running every second frame
     * meets each period at the same phase of its stride).
     *
     * @param speech samples at the settings' rate, at least 0.4 s (ESTOI's shortest)
     * @param config STFT settings
     * @return the long stream's source
     */
    public static LongStream of(float[] speech, StftConfig config) {
        int rate = config.sampleRate();
        int tone = (int) Math.round(TONE_SECONDS * rate);
        int ramp = rate / 100;
        int step = 2 * config.hop();
        int length = (speech.length + tone + config.fftSize() + step - 1) / step * step;
        float[] x = Arrays.copyOf(speech, length);
        for (int i = 0; i < tone; i++) {
            double gain = Math.min(1, Math.min(i, tone - 1 - i) / (double) ramp);
            x[speech.length + i] = (float) (0.25 * gain * Math.sin(2 * Math.PI * TONE_HZ * i / rate));
        }
        return new LongStream(config, x, speech.length);
    }

    /**
     * The magnitude frames of the periodic signal: frame t of the endless repetition is frame t mod p of
     * these, p = period / hop (the middle period of three, whose frames see only the repetition).
     */
    private static float[][] periodicFrames(float[] period, StftConfig config) {
        int p = period.length / config.hop();
        float[] three = new float[3 * period.length];
        for (int r = 0; r < 3; r++) {
            System.arraycopy(period, 0, three, r * period.length, period.length);
        }
        float[][] all = Stft.analyse(three, config).magnitude();
        return Arrays.copyOfRange(all, p, 2 * p);
    }

    /** {@return the STFT settings} */
    public StftConfig config() {
        return config;
    }

    /** {@return frames per period} */
    public int periodFrames() {
        return frames.length;
    }

    /**
     * Frames in {@code hours} of audio at the settings' rate and hop.
     *
     * @param hours hours of audio
     * @return the frames, rounded
     */
    public long framesIn(double hours) {
        return Math.round(hours * 3600.0 * config.sampleRate() / config.hop());
    }

    /**
     * One scored period of the stream.
     *
     * @param period    index of the period in the stream, from 0
     * @param hours     hours of audio before the period
     * @param scDb      spectral convergence of the period's reconstruction in dB (lower is better); NaN if a
     *                  sample was non-finite
     * @param estoi     ESTOI of the reconstruction of the period's speech; NaN if a sample was non-finite
     * @param peak      largest finite |sample| output since the previous score
     * @param nonFinite non-finite samples output since the previous score
     * @param seconds   wall-clock seconds since the stream started
     */
    public record Score(
            long period, double hours, double scDb, double estoi, double peak, long nonFinite, double seconds) {}

    /**
     * A whole stream's scores.
     *
     * @param frames frames pushed
     * @param start  the first {@code edge} periods
     * @param end    the last {@code edge} complete periods (the same as the start when the stream is that short)
     * @param all    every scored period, in stream order
     */
    public record Result(long frames, List<Score> start, List<Score> end, List<Score> all) {
        /** {@return mean SC of the end minus mean SC of the start, dB} */
        public double scChangeDb() {
            return mean(end, Score::scDb) - mean(start, Score::scDb);
        }

        /** {@return mean ESTOI of the end minus mean ESTOI of the start} */
        public double estoiChange() {
            return mean(end, Score::estoi) - mean(start, Score::estoi);
        }

        /** {@return non-finite samples over the whole stream} */
        public long nonFinite() {
            long n = 0;
            for (Score s : all) {
                n += s.nonFinite();
            }
            return n;
        }

        /** {@return the largest |sample| of the end's periods over the largest of the start's} */
        public double peakGrowth() {
            return max(end) / max(start);
        }

        /**
         * {@return whether the end scores as the start within the tolerances ({@link #SC_TOLERANCE_DB},
         * {@link #ESTOI_TOLERANCE}, {@link #PEAK_GROWTH}) and no sample was non-finite}
         */
        public boolean holds() {
            return nonFinite() == 0
                    && Math.abs(scChangeDb()) <= SC_TOLERANCE_DB
                    && Math.abs(estoiChange()) <= ESTOI_TOLERANCE
                    && peakGrowth() <= PEAK_GROWTH;
        }

        /**
         * {@return one line: the stream's length, the mean scores of start and end, the peak's growth and the
         * non-finite samples, e.g. {@code 225000 frames (1.00 h): SC -31.093 -> -31.103 dB (-0.010), ...}}
         *
         * @param config the stream's STFT settings, for its length in hours
         */
        public String describe(StftConfig config) {
            return String.format(
                    Locale.ROOT,
                    "%d frames (%.2f h): SC %.3f -> %.3f dB (%+.3f), ESTOI %.4f"
                            + " -> %.4f (%+.4f), peak x%.3f, non-finite %d",
                    frames,
                    frames * (double) config.hop() / config.sampleRate() / 3600,
                    mean(start, Score::scDb),
                    mean(end, Score::scDb),
                    scChangeDb(),
                    mean(start, Score::estoi),
                    mean(end, Score::estoi),
                    estoiChange(),
                    peakGrowth(),
                    nonFinite());
        }

        private static double mean(List<Score> scores, ToDoubleFunction<Score> f) {
            double sum = 0;
            for (Score s : scores) {
                sum += f.applyAsDouble(s);
            }
            return sum / scores.size();
        }

        private static double max(List<Score> scores) {
            double m = 0;
            for (Score s : scores) {
                m = Math.max(m, s.peak());
            }
            return m;
        }
    }

    /** What the stream pushes to: a {@link PhaseInverter}, or anything with its push contract. */
    public interface Sink {
        /**
         * Takes one magnitude frame, writes hop samples.
         *
         * @param magnitude the frame
         * @param pcmOut    receives hop samples
         */
        void push(float[] magnitude, float[] pcmOut);
    }

    /**
     * Streams {@code totalFrames} frames through {@code inverter} (reset first), scoring the first and last
     * {@code edge} periods and, every {@code every} frames, the first period that starts there.
     *
     * @param inverter    a streaming inverter at these settings
     * @param totalFrames frames to push; at least enough for {@code edge} complete periods
     * @param edge        periods scored at each end, ≥ 1
     * @param every       frames between the periodic scores, e.g. {@link #framesIn} of an hour;
     *                    {@code Long.MAX_VALUE} for none
     * @param progress    receives every score as it is made (e.g. to print it), in stream order
     * @return the scores
     */
    public Result run(PhaseInverter inverter, long totalFrames, int edge, long every, Consumer<Score> progress) {
        if (!inverter.stft().equals(config)) {
            throw new IllegalArgumentException(
                    inverter.method() + " runs " + inverter.stft() + ", the stream is " + config);
        }
        inverter.reset();
        return run(inverter::push, inverter.latencySamples(), totalFrames, edge, every, progress);
    }

    /**
     * {@link #run(PhaseInverter, long, int, long, Consumer)} through any sink whose output is its input
     * delayed by {@code latency} samples.
     *
     * @param sink        the stream
     * @param latency     output delay in samples
     * @param totalFrames frames to push
     * @param edge        periods scored at each end
     * @param every       frames between the periodic scores
     * @param progress    receives every score
     * @return the scores
     */
    public Result run(Sink sink, int latency, long totalFrames, int edge, long every, Consumer<Score> progress) {
        int hop = config.hop();
        int p = frames.length;
        long periodSamples = period.length;
        // period r is output samples [r·P + latency, (r + 1)·P + latency): complete once that many are out
        long complete = (totalFrames * hop - latency) / periodSamples;
        if (edge < 1 || complete < edge) {
            throw new IllegalArgumentException(totalFrames + " frames complete " + Math.max(0, complete)
                    + " periods of " + p + " frames, fewer than the " + edge + " scored at each end");
        }
        List<Score> start = new ArrayList<>();
        List<Score> end = new ArrayList<>();
        List<Score> all = new ArrayList<>();
        float[] pcm = new float[hop];
        float[] segment = new float[period.length];
        long t0 = System.nanoTime();
        double peak = 0;
        long nonFinite = 0;
        for (long s = 0; s < totalFrames; s++) {
            sink.push(frames[(int) (s % p)], pcm);
            for (int i = 0; i < hop; i++) {
                float v = pcm[i];
                if (Float.isFinite(v)) {
                    peak = Math.max(peak, Math.abs(v));
                } else {
                    nonFinite++;
                }
            }
            long first = s * hop - latency; // the input sample pcm[0] reconstructs
            // a hop reaches at most two periods: the one it starts in and the next
            long r0 = Math.floorDiv(first, periodSamples);
            for (long r = Math.max(0, r0); r <= r0 + 1 && r < complete; r++) {
                boolean atStart = r < edge;
                boolean atEnd = r >= complete - edge;
                if (!atStart && !atEnd && !periodic(r, p, every)) {
                    continue;
                }
                long offset = first - r * periodSamples; // where pcm[0] falls in period r
                int from = (int) Math.max(0, -offset);
                int to = (int) Math.min(hop, periodSamples - offset);
                if (from < to) {
                    System.arraycopy(pcm, from, segment, (int) (offset + from), to - from);
                }
                if (offset + to == periodSamples) {
                    Score score = score(r, segment, peak, nonFinite, (System.nanoTime() - t0) / 1e9);
                    peak = 0;
                    nonFinite = 0;
                    all.add(score);
                    if (atStart) {
                        start.add(score);
                    }
                    if (atEnd) {
                        end.add(score);
                    }
                    progress.accept(score);
                }
            }
        }
        return new Result(totalFrames, start, end, all);
    }

    /** Whether period r is the first to start at or after a multiple k·every, k ≥ 1, of frames. */
    private static boolean periodic(long r, int p, long every) {
        long k = r * p / every; // the last multiple at or before the period's start
        return k > 0 && (r - 1) * p < k * every;
    }

    private Score score(long r, float[] y, double peak, long nonFinite, double seconds) {
        double hours = (double) r * frames.length * config.hop() / config.sampleRate() / 3600.0;
        double sc = Double.NaN;
        double estoi = Double.NaN;
        if (nonFinite == 0) {
            sc = SpectralConvergence.db(period, y, config.fftSize(), config.hop());
            estoi = Stoi.estoi(Arrays.copyOf(period, speech), Arrays.copyOf(y, speech), config.sampleRate());
        }
        return new Score(r, hours, sc, estoi, peak, nonFinite, seconds);
    }
}
