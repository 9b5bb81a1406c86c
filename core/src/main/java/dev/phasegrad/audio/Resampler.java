package dev.phasegrad.audio;

import java.util.Arrays;

/**
 * Band-limited sample-rate converter for any pair of integer rates: a Kaiser-windowed sinc
 * interpolator evaluated in polyphase form.
 *
 * <p>With g = gcd(inRate, outRate), L = outRate/g and M = inRate/g, output sample n sits at input
 * time n·M/L; its fractional part takes one of L values, so the L filter phases are tabulated once
 * in the constructor (computed per output sample instead when L·taps would exceed
 * {@value #MAX_TABLE} coefficients, e.g. for 44101 → 16000).
 *
 * <p>Filter: cutoff 0.95 × the lower Nyquist frequency min(inRate, outRate)/2, transition band
 * 0.9 … 1.0 × that Nyquist, Kaiser design for {@value #ATTENUATION_DB} dB: passband ripple below
 * 0.001 dB up to 0.9 × Nyquist and ≥ 80 dB rejection from the Nyquist frequency on, so nothing
 * aliases or images into the output band. Each phase is normalised to unit DC gain. Cost per
 * output sample ≈ 108 · max(1, inRate/outRate) multiply-adds.
 *
 * <p>No delay: the filter is symmetric and non-causal, output sample n is the band-limited input
 * evaluated at time n·inRate/outRate. Output length is round(N · outRate / inRate) for N input
 * samples; the input is taken as zero outside [0, N). Equal rates return an exact copy.
 *
 * <p>Instances are immutable after construction and safe to share between threads.
 */
public final class Resampler {
    /** Kaiser design attenuation; 85 dB leaves margin above the 80 dB promised in the docs. */
    static final double ATTENUATION_DB = 85.0;

    static final int MAX_TABLE = 1 << 21;

    private final int inRate;
    private final int outRate;
    private final long up; // L
    private final long down; // M
    private final int tapsLeft; // taps at input offsets -tapsLeft+1 … tapsLeft relative to floor(t)
    private final double cutoff; // cycles per input sample
    private final double halfWidth; // filter half-length in input samples
    private final double beta;
    private final double i0Beta;
    private final float[][] phases; // [L][2·tapsLeft], null when computed on the fly

    /**
     * @param inRate  input sample rate in Hz, ≥ 1
     * @param outRate output sample rate in Hz, ≥ 1
     */
    public Resampler(int inRate, int outRate) {
        if (inRate < 1 || outRate < 1) {
            throw new IllegalArgumentException("sample rates must be positive, got " + inRate + " -> " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        long g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        double lower = Math.min(inRate, outRate);
        this.cutoff = 0.95 * 0.5 * lower / inRate;
        double transition = 0.05 * lower / inRate; // 0.1 × lower Nyquist, in cycles per input sample
        double order = (ATTENUATION_DB - 7.95) / (2.285 * 2 * Math.PI * transition);
        this.halfWidth = order / 2;
        if (halfWidth > 1 << 26) {
            throw new IllegalArgumentException("rate ratio " + inRate + " -> " + outRate
                    + " is too extreme for a windowed-sinc filter (" + (long) (2 * halfWidth) + " taps)");
        }
        this.beta = 0.1102 * (ATTENUATION_DB - 8.7);
        this.i0Beta = besselI0(beta);
        this.tapsLeft = (int) Math.ceil(halfWidth);
        if (inRate == outRate) {
            this.phases = null;
        } else if (up * 2L * tapsLeft <= MAX_TABLE) {
            phases = new float[(int) up][2 * tapsLeft];
            double[] tmp = new double[2 * tapsLeft];
            for (int p = 0; p < up; p++) {
                fillPhase(p / (double) up, tmp);
                for (int j = 0; j < tmp.length; j++) {
                    phases[p][j] = (float) tmp[j];
                }
            }
        } else {
            this.phases = null;
        }
    }

    /**
     * Resamples a whole signal; convenience for {@code new Resampler(inRate, outRate).process(x)}.
     *
     * @param x       the signal
     * @param inRate  its sample rate in Hz
     * @param outRate the wanted sample rate in Hz
     * @return the resampled signal
     */
    public static float[] resample(float[] x, int inRate, int outRate) {
        return new Resampler(inRate, outRate).process(x);
    }

    /** {@return the input sample rate in Hz} */
    public int inRate() {
        return inRate;
    }

    /** {@return the output sample rate in Hz} */
    public int outRate() {
        return outRate;
    }

    /**
     * Output length for {@code inputLength} input samples: round(inputLength · outRate / inRate).
     *
     * @param inputLength input samples
     * @return the output samples
     */
    public int outputLength(int inputLength) {
        if (inputLength < 0) {
            throw new IllegalArgumentException("input length must be >= 0, got " + inputLength);
        }
        long n = (2L * inputLength * up + down) / (2L * down);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("resampled signal would have " + n + " samples, too many for an array");
        }
        return (int) n;
    }

    /**
     * Resamples a whole signal.
     *
     * @param x input samples at {@link #inRate()}; not modified
     * @return a new array of {@link #outputLength(int) outputLength(x.length)} samples at
     *         {@link #outRate()}
     */
    public float[] process(float[] x) {
        if (inRate == outRate) {
            return x.clone();
        }
        int n = x.length;
        float[] y = new float[outputLength(n)];
        int width = 2 * tapsLeft;
        double[] scratch = phases == null ? new double[width] : null;
        for (int i = 0; i < y.length; i++) {
            long num = i * down;
            long base = num / up;
            int p = (int) (num % up);
            long first = base - tapsLeft + 1;
            int j0 = (int) Math.max(0, -first);
            int j1 = (int) Math.min(width, n - first);
            double acc = 0;
            if (phases != null) {
                float[] h = phases[p];
                for (int j = j0; j < j1; j++) {
                    acc += h[j] * x[(int) (first + j)];
                }
            } else {
                fillPhase(p / (double) up, scratch);
                for (int j = j0; j < j1; j++) {
                    acc += scratch[j] * x[(int) (first + j)];
                }
            }
            y[i] = (float) acc;
        }
        return y;
    }

    /**
     * {@link #outputLength(int)} for any length, as a long.
     *
     * @param inputLength input samples, ≥ 0
     * @return the output samples they give
     */
    public long outputLength(long inputLength) {
        if (inputLength < 0) {
            throw new IllegalArgumentException("input length must be >= 0, got " + inputLength);
        }
        try {
            return Math.addExact(Math.multiplyExact(inputLength, 2 * up), down) / (2 * down);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a signal of " + inputLength + " samples is too long to resample");
        }
    }

    /**
     * A new block-wise resampler with this one's filter; see {@link Stream}.
     *
     * @return the stream, with no input yet
     */
    public Stream stream() {
        return new Stream();
    }

    /**
     * The resampler run block by block, for signals too long to hold: input pushed in blocks of any
     * size, output written as soon as the filter has seen every input sample it spans, the rest when
     * {@link #finish} says where the input ends. The output is {@link #process} of the whole input bit for
     * bit (the same taps, summed in the same order), whatever the blocks. Holds the filter span plus one
     * block; allocates nothing per block. Not thread safe.
     */
    public final class Stream {
        private final int width = 2 * tapsLeft;
        private final double[] scratch = phases == null ? new double[2 * tapsLeft] : null;
        private float[] buffer = new float[2 * tapsLeft + 8192];
        /** Input index of buffer[0], and how many input samples the buffer holds from there. */
        private long bufferStart;

        private int held;
        private long inputs;
        private long next;
        private boolean finished;

        private Stream() {}

        /**
         * The most samples {@link #push} writes for {@code inputCount} input samples.
         *
         * @param inputCount input samples pushed at once
         * @return the bound
         */
        public int maxOutput(int inputCount) {
            return (int) Math.min(Integer.MAX_VALUE - 8, (long) inputCount * up / down + 2);
        }

        /** {@return the most samples {@link #finish} writes} */
        public int maxFinish() {
            return inRate == outRate ? 0 : (int) Math.min(Integer.MAX_VALUE - 8, (long) (width + 2) * up / down + 2);
        }

        /** {@return the input samples pushed so far} */
        public long inputs() {
            return inputs;
        }

        /**
         * Takes {@code in[off .. off + len)} and writes the output samples they complete to {@code out[outOff ..)}.
         *
         * @param in     input samples
         * @param off    where they start in {@code in}
         * @param len    how many
         * @param out    receives the output samples
         * @param outOff where they start in {@code out}
         * @return how many were written, at most {@link #maxOutput(int) maxOutput(len)}
         */
        public int push(float[] in, int off, int len, float[] out, int outOff) {
            if (finished) {
                throw new IllegalStateException("the stream has finished");
            }
            if (inRate == outRate) {
                System.arraycopy(in, off, out, outOff, len);
                inputs += len;
                next += len;
                return len;
            }
            int written = 0;
            int done = 0;
            while (done < len) {
                compact();
                int take = Math.min(len - done, buffer.length - held);
                System.arraycopy(in, off + done, buffer, held, take);
                held += take;
                done += take;
                inputs += take;
                written += emit(out, outOff + written, Long.MAX_VALUE);
            }
            return written;
        }

        /**
         * Ends the input: writes the remaining output samples, up to {@link #outputLength(long)} of the
         * input length, the input taken as zero past its end.
         *
         * @param out    receives the output samples
         * @param outOff where they start in {@code out}
         * @return how many were written, at most {@link #maxFinish()}
         */
        public int finish(float[] out, int outOff) {
            if (finished) {
                throw new IllegalStateException("the stream has finished");
            }
            finished = true;
            if (inRate == outRate) {
                return 0;
            }
            return emit(out, outOff, outputLength(inputs));
        }

        /** Drops input no pending output needs; grows the buffer only if the filter span alone fills it. */
        private void compact() {
            if (held < buffer.length) {
                return;
            }
            long keepFrom = Math.max(bufferStart, Math.min(bufferStart + held, first(next)));
            int drop = (int) (keepFrom - bufferStart);
            if (drop == 0) {
                buffer = Arrays.copyOf(buffer, 2 * buffer.length);
                return;
            }
            System.arraycopy(buffer, drop, buffer, 0, held - drop);
            held -= drop;
            bufferStart = keepFrom;
        }

        private long first(long i) {
            return Math.multiplyExact(i, down) / up - tapsLeft + 1;
        }

        /**
         * Writes outputs from {@link #next} on: while the stream runs, those whose taps lie within the input
         * seen; at the end ({@code end} = the output length), all up to it.
         */
        private int emit(float[] out, int outOff, long end) {
            boolean last = end != Long.MAX_VALUE;
            long n = inputs;
            int k = 0;
            while (next < end) {
                long num = next * down;
                long base = num / up;
                int p = (int) (num % up);
                long first = base - tapsLeft + 1;
                if (!last && first + width > n) {
                    break;
                }
                int j0 = (int) Math.max(0, -first);
                int j1 = (int) Math.min(width, n - first);
                int at = (int) (first - bufferStart);
                double acc = 0;
                if (phases != null) {
                    float[] h = phases[p];
                    for (int j = j0; j < j1; j++) {
                        acc += h[j] * buffer[at + j];
                    }
                } else {
                    fillPhase(p / (double) up, scratch);
                    for (int j = j0; j < j1; j++) {
                        acc += scratch[j] * buffer[at + j];
                    }
                }
                out[outOff + k++] = (float) acc;
                next++;
            }
            return k;
        }
    }

    /** Taps for an output time floor(t) + frac; tap j weighs input sample floor(t) − tapsLeft + 1 + j. */
    private void fillPhase(double frac, double[] h) {
        double sum = 0;
        for (int j = 0; j < h.length; j++) {
            double tau = frac - (j - tapsLeft + 1);
            double v = kernel(tau);
            h[j] = v;
            sum += v;
        }
        // Unit DC gain per phase: a constant input stays exactly constant (away from the edges).
        double norm = 1.0 / sum;
        for (int j = 0; j < h.length; j++) {
            h[j] *= norm;
        }
    }

    private double kernel(double tau) {
        double r = tau / halfWidth;
        if (r <= -1 || r >= 1) {
            return 0;
        }
        double x = 2 * cutoff * tau;
        double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        return 2 * cutoff * sinc * besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
    }

    /** Modified Bessel function of the first kind, order 0 (power series; converges fast for x ≤ 20). */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
