package dev.phasegrad.metrics;

import dev.phasegrad.stft.RealFft;
import java.util.concurrent.ConcurrentHashMap;

/**
 * STOI (Taal et al. 2011) and ESTOI (Jensen &amp; Taal 2016), computed exactly as pystoi 0.4.1 does.
 *
 * <p>Pipeline: resample to 10 kHz with {@link OctaveResampler} (skipped for 10 kHz input); remove
 * the frames of the clean signal more than 40 dB below its loudest frame (256-sample MATLAB
 * {@code hanning} frames, hop 128, frame starts {@code s < N − 256}) and rebuild both signals from
 * the kept, windowed frames with the gaps closed; STFT with the same window, zero-padded to 512,
 * frame starts {@code s < N' − 256}; 15 one-third-octave bands from 150 Hz; 30-frame segments.
 * STOI: per band and segment, scale the degraded envelope to the clean one's norm, clip at
 * {@code (1 + 10^(15/20))} times the clean envelope, correlate; mean over bands and segments.
 * ESTOI: row-then-column normalise each 15×30 segment of both envelopes, mean inner product / 30.
 *
 * <p>Conventions of this port:
 * <ul>
 *   <li>Signals of unequal length are trimmed to the shorter one by dropping the end of the longer
 *       (pystoi refuses unequal lengths). No delay or gain compensation.</li>
 *   <li>If fewer than 30 STFT frames survive silence removal (about 0.4 s of active speech at
 *       10 kHz), the result is {@link #TOO_SHORT} = 1e-5, as pystoi returns (pystoi also warns).</li>
 *   <li>ESTOI: pystoi adds EPS-scaled random noise before each normalisation to dodge 0/0; this port
 *       is deterministic and instead maps a zero-norm row or column to zeros (it contributes 0).</li>
 * </ul>
 *
 * <p>All arithmetic is double precision. Static methods are thread safe (resampling filters are
 * cached as immutable objects).
 */
public final class Stoi {
    /** Value returned when fewer than 30 STFT frames remain after silence removal (as pystoi). */
    public static final double TOO_SHORT = 1e-5;

    static final int FS = 10_000;
    static final int FRAME = 256;
    static final int HOP = 128;
    static final int NFFT = 512;
    static final int BANDS = 15;
    static final double MIN_FREQ = 150.0;
    static final int SEG = 30;
    static final double DYN_RANGE_DB = 40.0;
    static final double CLIP = 1.0 + Math.pow(10.0, 15.0 / 20.0);
    static final double EPS = Math.ulp(1.0);

    /** MATLAB {@code hanning(256)}: {@code 0.5 − 0.5·cos(2π(n+1)/257)}. */
    static final double[] WINDOW = matlabHanning(FRAME);
    /** Band j covers rfft bins {@code BAND_LO[j] <= b < BAND_HI[j]}. */
    static final int[] BAND_LO = new int[BANDS];

    static final int[] BAND_HI = new int[BANDS];

    static {
        thirdOctaveBins(FS, NFFT, BANDS, MIN_FREQ, BAND_LO, BAND_HI);
    }

    private static final ConcurrentHashMap<Integer, OctaveResampler> RESAMPLERS = new ConcurrentHashMap<>();

    private Stoi() {}

    /**
     * Short-time objective intelligibility.
     *
     * @param clean    reference signal, samples at {@code fs}
     * @param degraded processed signal, time aligned with {@code clean}
     * @param fs       sample rate of both signals in Hz (any positive rate; 10 kHz is used as is)
     * @return STOI, nominally in [0, 1] (higher is better); {@link #TOO_SHORT} if too little speech
     * @throws IllegalArgumentException on null/empty input, non-finite samples, or fs &lt;= 0
     */
    public static double stoi(float[] clean, float[] degraded, int fs) {
        return stoi(Signals.toDouble(clean, "clean"), Signals.toDouble(degraded, "degraded"), fs);
    }

    /** Double-precision input variant of {@link #stoi(float[], float[], int)}. */
    public static double stoi(double[] clean, double[] degraded, int fs) {
        return compute(clean, degraded, fs, false);
    }

    /**
     * Extended STOI (ESTOI), same conventions as {@link #stoi(float[], float[], int)}.
     *
     * @return ESTOI, nominally in [-1, 1] (higher is better); {@link #TOO_SHORT} if too little speech
     */
    public static double estoi(float[] clean, float[] degraded, int fs) {
        return estoi(Signals.toDouble(clean, "clean"), Signals.toDouble(degraded, "degraded"), fs);
    }

    /** Double-precision input variant of {@link #estoi(float[], float[], int)}. */
    public static double estoi(double[] clean, double[] degraded, int fs) {
        return compute(clean, degraded, fs, true);
    }

    private static double compute(double[] clean, double[] degraded, int fs, boolean extended) {
        Envelopes env = envelopes(clean, degraded, fs);
        if (env == null) {
            return TOO_SHORT;
        }
        return extended ? estoiFromEnvelopes(env.x, env.y) : stoiFromEnvelopes(env.x, env.y);
    }

    /** {@code {stoi, estoi}} sharing one resampling and STFT pass. */
    static double[] both(double[] clean, double[] degraded, int fs) {
        Envelopes env = envelopes(clean, degraded, fs);
        if (env == null) {
            return new double[] {TOO_SHORT, TOO_SHORT};
        }
        return new double[] {stoiFromEnvelopes(env.x, env.y), estoiFromEnvelopes(env.x, env.y)};
    }

    /** Validates, trims to the common length, resamples to 10 kHz, then {@link #envelopes(double[], double[])}. */
    static Envelopes envelopes(double[] clean, double[] degraded, int fs) {
        Signals.check(clean, "clean");
        Signals.check(degraded, "degraded");
        if (fs <= 0) {
            throw new IllegalArgumentException("sample rate must be > 0, got " + fs);
        }
        int n = Math.min(clean.length, degraded.length);
        double[] x = Signals.head(clean, n);
        double[] y = Signals.head(degraded, n);
        if (fs != FS) {
            OctaveResampler r = resamplerFor(fs);
            x = r.apply(x);
            y = r.apply(y);
        }
        return envelopes(x, y);
    }

    static OctaveResampler resamplerFor(int fs) {
        OctaveResampler r = RESAMPLERS.get(fs);
        if (r == null) {
            r = new OctaveResampler(fs, FS);
            // Few distinct rates occur in practice; stop caching rather than grow without bound.
            if (RESAMPLERS.size() < 16) {
                RESAMPLERS.putIfAbsent(fs, r);
            }
        }
        return r;
    }

    /** Third-octave band envelopes [band][frame] of both signals at 10 kHz. */
    record Envelopes(double[][] x, double[][] y) {
        int frames() {
            return x[0].length;
        }
    }

    /** Silence removal + STFT + band grouping; null when fewer than 30 frames remain. */
    static Envelopes envelopes(double[] x10k, double[] y10k) {
        boolean[] keep = vadMask(x10k);
        double[] xs = removeSilentFrames(x10k, keep);
        double[] ys = removeSilentFrames(y10k, keep);
        int frames = stftFrameCount(xs.length);
        if (frames < SEG) {
            return null;
        }
        return new Envelopes(bandEnvelopes(xs, frames), bandEnvelopes(ys, frames));
    }

    /** Number of frames with starts {@code 0, 128, …, s < n − 256} (pystoi 0.4.1 strict bound). */
    static int frameCount(int n) {
        int span = n - FRAME;
        return span <= 0 ? 0 : (span + HOP - 1) / HOP;
    }

    static int stftFrameCount(int n) {
        return frameCount(n);
    }

    /** Frames kept by the energy VAD of the clean signal: within 40 dB of the loudest frame. */
    static boolean[] vadMask(double[] x) {
        int frames = frameCount(x.length);
        double[] energy = new double[frames];
        double max = Double.NEGATIVE_INFINITY;
        for (int f = 0; f < frames; f++) {
            int s = f * HOP;
            double acc = 0;
            for (int i = 0; i < FRAME; i++) {
                double v = WINDOW[i] * x[s + i];
                acc += v * v;
            }
            energy[f] = 20.0 * Math.log10(Math.sqrt(acc) + EPS);
            max = Math.max(max, energy[f]);
        }
        boolean[] keep = new boolean[frames];
        for (int f = 0; f < frames; f++) {
            // Same expression order as pystoi so that ties round identically.
            keep[f] = (max - DYN_RANGE_DB - energy[f]) < 0;
        }
        return keep;
    }

    /** Overlap-adds the kept windowed frames back to back (gaps closed); empty if none kept. */
    static double[] removeSilentFrames(double[] x, boolean[] keep) {
        int kept = 0;
        for (boolean k : keep) {
            if (k) {
                kept++;
            }
        }
        if (kept == 0) {
            return new double[0];
        }
        double[] out = new double[(kept - 1) * HOP + FRAME];
        int j = 0;
        for (int f = 0; f < keep.length; f++) {
            if (!keep[f]) {
                continue;
            }
            int s = f * HOP;
            int o = j * HOP;
            for (int i = 0; i < FRAME; i++) {
                out[o + i] += WINDOW[i] * x[s + i];
            }
            j++;
        }
        return out;
    }

    /** |STFT| grouped into bands: {@code sqrt(Σ_{b in band} |X[b,t]|²)}, shape [band][frame]. */
    static double[][] bandEnvelopes(double[] x, int frames) {
        RealFft fft = new RealFft(NFFT);
        double[] buf = new double[NFFT];
        double[] re = new double[NFFT / 2 + 1];
        double[] im = new double[NFFT / 2 + 1];
        double[][] tob = new double[BANDS][frames];
        for (int t = 0; t < frames; t++) {
            int s = t * HOP;
            for (int i = 0; i < FRAME; i++) {
                buf[i] = WINDOW[i] * x[s + i];
            }
            // buf[FRAME..NFFT) stays zero: zero padding to 512
            fft.forward(buf, re, im);
            for (int j = 0; j < BANDS; j++) {
                double acc = 0;
                for (int b = BAND_LO[j]; b < BAND_HI[j]; b++) {
                    acc += re[b] * re[b] + im[b] * im[b];
                }
                tob[j][t] = Math.sqrt(acc);
            }
        }
        return tob;
    }

    static double stoiFromEnvelopes(double[][] xt, double[][] yt) {
        int frames = xt[0].length;
        int segments = frames - SEG + 1;
        double[] xs = new double[SEG];
        double[] ys = new double[SEG];
        double total = 0;
        for (int m = SEG; m <= frames; m++) {
            int t0 = m - SEG;
            for (int j = 0; j < BANDS; j++) {
                double nx = 0;
                double ny = 0;
                for (int t = 0; t < SEG; t++) {
                    double a = xt[j][t0 + t];
                    double b = yt[j][t0 + t];
                    nx += a * a;
                    ny += b * b;
                }
                double alpha = Math.sqrt(nx) / (Math.sqrt(ny) + EPS);
                double mx = 0;
                double my = 0;
                for (int t = 0; t < SEG; t++) {
                    double a = xt[j][t0 + t];
                    double b = Math.min(yt[j][t0 + t] * alpha, a * CLIP);
                    xs[t] = a;
                    ys[t] = b;
                    mx += a;
                    my += b;
                }
                mx /= SEG;
                my /= SEG;
                double sxx = 0;
                double syy = 0;
                double sxy = 0;
                for (int t = 0; t < SEG; t++) {
                    double a = xs[t] - mx;
                    double b = ys[t] - my;
                    sxx += a * a;
                    syy += b * b;
                    sxy += a * b;
                }
                total += sxy / ((Math.sqrt(sxx) + EPS) * (Math.sqrt(syy) + EPS));
            }
        }
        return total / ((double) BANDS * segments);
    }

    static double estoiFromEnvelopes(double[][] xt, double[][] yt) {
        int frames = xt[0].length;
        int segments = frames - SEG + 1;
        double[][] xn = new double[BANDS][SEG];
        double[][] yn = new double[BANDS][SEG];
        double total = 0;
        for (int m = SEG; m <= frames; m++) {
            int t0 = m - SEG;
            normaliseRowsThenColumns(xt, t0, xn);
            normaliseRowsThenColumns(yt, t0, yn);
            double acc = 0;
            for (int j = 0; j < BANDS; j++) {
                for (int t = 0; t < SEG; t++) {
                    acc += xn[j][t] * yn[j][t];
                }
            }
            total += acc / SEG;
        }
        return total / segments;
    }

    /** Copies segment {@code src[:, t0..t0+30)} into {@code out}, then row- and column-normalises it. */
    private static void normaliseRowsThenColumns(double[][] src, int t0, double[][] out) {
        for (int j = 0; j < BANDS; j++) {
            double mean = 0;
            for (int t = 0; t < SEG; t++) {
                mean += src[j][t0 + t];
            }
            mean /= SEG;
            double ss = 0;
            for (int t = 0; t < SEG; t++) {
                double v = src[j][t0 + t] - mean;
                out[j][t] = v;
                ss += v * v;
            }
            double inv = ss > 0 ? 1.0 / Math.sqrt(ss) : 0.0;
            for (int t = 0; t < SEG; t++) {
                out[j][t] *= inv;
            }
        }
        for (int t = 0; t < SEG; t++) {
            double mean = 0;
            for (int j = 0; j < BANDS; j++) {
                mean += out[j][t];
            }
            mean /= BANDS;
            double ss = 0;
            for (int j = 0; j < BANDS; j++) {
                double v = out[j][t] - mean;
                out[j][t] = v;
                ss += v * v;
            }
            double inv = ss > 0 ? 1.0 / Math.sqrt(ss) : 0.0;
            for (int j = 0; j < BANDS; j++) {
                out[j][t] *= inv;
            }
        }
    }

    static double[] matlabHanning(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 1) / (n + 1));
        }
        return w;
    }

    /**
     * One-third-octave band edges {@code minFreq·2^((2j∓1)/6)} snapped to the nearest rfft bin
     * frequency (first bin on ties), as pystoi's {@code thirdoct}.
     */
    static void thirdOctaveBins(int fs, int nfft, int bands, double minFreq, int[] lo, int[] hi) {
        int bins = nfft / 2 + 1;
        double[] f = new double[bins];
        for (int b = 0; b < bins; b++) {
            f[b] = (double) b * fs / nfft;
        }
        for (int j = 0; j < bands; j++) {
            lo[j] = nearest(f, minFreq * Math.pow(2.0, (2.0 * j - 1) / 6.0));
            hi[j] = nearest(f, minFreq * Math.pow(2.0, (2.0 * j + 1) / 6.0));
        }
    }

    private static int nearest(double[] f, double target) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int b = 0; b < f.length; b++) {
            double d = (f[b] - target) * (f[b] - target);
            if (d < bestD) {
                bestD = d;
                best = b;
            }
        }
        return best;
    }
}
