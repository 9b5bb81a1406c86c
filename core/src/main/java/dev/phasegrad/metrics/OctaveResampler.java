package dev.phasegrad.metrics;

/**
 * Rational-ratio polyphase resampler with the Octave {@code resample} anti-aliasing filter, i.e.
 * what pystoi's {@code resample_oct} feeds to {@code scipy.signal.resample_poly}.
 *
 * <p>With {@code p/q = fsOut/fsIn} reduced by their gcd, the filter is a Kaiser-windowed ideal
 * low-pass: cut-off {@code fc = 1/(2·max(p,q))}, roll-off {@code fc/10}, 60 dB rejection, half length
 * {@code L = ceil(52 / (28.714·fc/10))}, {@code β = 0.1102·(60 − 8.7)}, {@code 2L+1} taps, normalised
 * to unit sum. The output has {@code ceil(N·p/q)} samples,
 * {@code y[k] = p·Σ_i x[i]·w[L + q·k − p·i]}, samples outside the signal being zero (scipy's
 * default {@code padtype='constant'}). Only the taps that meet a real input sample are visited, so
 * the cost is about {@code (2L+1)/p} multiply-adds per output sample.
 *
 * <p>Instances are immutable and thread safe; build one per rate pair and reuse it.
 */
public final class OctaveResampler {
    private static final double REJECTION_DB = 60.0;
    /** Caps the filter at ~8M taps (64 MB); rates like 44101 Hz (ratio 10000/44101) need 3.2M. */
    private static final int MAX_HALF_LENGTH = 4_000_000;

    private final int fsIn;
    private final int fsOut;
    private final int p;
    private final int q;
    private final int half;
    /** Unit-sum filter already multiplied by p (scipy scales by the up factor). */
    private final double[] taps;

    /**
     * Designs the filter for {@code fsIn → fsOut}.
     *
     * @param fsIn  input sample rate in Hz, &gt; 0
     * @param fsOut output sample rate in Hz, &gt; 0
     * @throws IllegalArgumentException on a non-positive rate
     */
    public OctaveResampler(int fsIn, int fsOut) {
        if (fsIn <= 0 || fsOut <= 0) {
            throw new IllegalArgumentException("sample rates must be > 0, got fsIn=" + fsIn + " fsOut=" + fsOut);
        }
        this.fsIn = fsIn;
        this.fsOut = fsOut;
        int g = gcd(fsIn, fsOut);
        this.p = fsOut / g;
        this.q = fsIn / g;
        if (p == 1 && q == 1) {
            this.half = 0;
            this.taps = new double[] {1.0};
            return;
        }
        double fc = 1.0 / (2.0 * Math.max(p, q));
        double rollOff = fc / 10.0;
        double len = Math.ceil((REJECTION_DB - 8.0) / (28.714 * rollOff));
        if (len > MAX_HALF_LENGTH) {
            throw new IllegalArgumentException("resampling ratio " + fsOut + "/" + fsIn
                    + " reduces to " + p + "/" + q + ": anti-aliasing filter would need " + (2 * (long) len + 1)
                    + " taps (limit " + (2 * MAX_HALF_LENGTH + 1) + ")");
        }
        this.half = (int) len;
        double beta = 0.1102 * (REJECTION_DB - 8.7);
        int n = 2 * half + 1;
        double[] h = new double[n];
        double i0Beta = besselI0(beta);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double r = (double) (i - half) / half;
            double kaiser = besselI0(beta * Math.sqrt(1.0 - r * r)) / i0Beta;
            h[i] = kaiser * 2.0 * p * fc * sinc(2.0 * fc * (i - half));
            sum += h[i];
        }
        for (int i = 0; i < n; i++) {
            h[i] = h[i] / sum * p;
        }
        this.taps = h;
    }

    /** Up factor p of the reduced ratio p/q. */
    public int up() {
        return p;
    }

    /** Down factor q of the reduced ratio p/q. */
    public int down() {
        return q;
    }

    /** Filter half length L (the filter has 2L+1 taps); 0 when the rates are equal. */
    public int halfLength() {
        return half;
    }

    /** Number of output samples for {@code n} input samples: {@code ceil(n·p/q)}. */
    public int outputLength(int n) {
        long num = (long) n * p;
        long out = num / q + (num % q != 0 ? 1 : 0);
        if (out > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("resampled length " + out + " too large");
        }
        return (int) out;
    }

    /**
     * Resamples {@code x} (left untouched) into a new array of {@link #outputLength(int)} samples.
     * Equal rates return a copy.
     */
    public double[] apply(double[] x) {
        int n = x.length;
        double[] y = new double[outputLength(n)];
        if (p == 1 && q == 1) {
            System.arraycopy(x, 0, y, 0, n);
            return y;
        }
        double[] h = taps;
        for (int k = 0; k < y.length; k++) {
            long c = (long) q * k; // filter centre in the up-sampled domain
            // i range with 0 <= L + c - p*i <= 2L
            long lo = ceilDiv(c - half, p);
            long hi = Math.floorDiv(c + half, (long) p);
            if (lo < 0) {
                lo = 0;
            }
            if (hi > n - 1) {
                hi = n - 1;
            }
            double acc = 0;
            int j = (int) (half + c - p * lo);
            for (int i = (int) lo; i <= hi; i++, j -= p) {
                acc += x[i] * h[j];
            }
            y[k] = acc;
        }
        return y;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static double sinc(double u) {
        if (u == 0) {
            return 1.0;
        }
        double a = Math.PI * u;
        return Math.sin(a) / a;
    }

    /**
     * Modified Bessel function of the first kind, order 0, by its power series. Arguments here never
     * exceed β ≈ 5.65, where the series reaches full double precision in about 25 terms.
     */
    static double besselI0(double x) {
        double halfX = 0.5 * x;
        double term = 1.0;
        double sum = 1.0;
        for (int k = 1; k < 500; k++) {
            double f = halfX / k;
            term *= f * f;
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }
}
