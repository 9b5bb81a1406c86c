package dev.phasegrad.invert;

import dev.phasegrad.derivatives.FastSinCos;
import dev.phasegrad.derivatives.HeuristicDerivatives;
import dev.phasegrad.derivatives.MagnitudeGradients;
import dev.phasegrad.derivatives.PhaseMath;
import dev.phasegrad.stft.StftConfig;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Real-time phase gradient heap integration, RTPGHI (Průša and Holighaus, "Phase vocoder done right",
 * 2017). Per frame, phase derivatives are estimated from magnitudes ({@link HeuristicDerivatives}) and
 * integrated with the trapezoidal rule from the largest coefficients outwards: a max-heap over the
 * previous frame's and the current frame's magnitudes decides, for every bin of the current frame,
 * whether its phase continues the same bin of the previous frame (time direction) or a louder
 * neighbour in the current frame (frequency direction).
 *
 * <p>Bins at or below {@code tolerance} times the largest magnitude of the two frames get a
 * pseudo-random phase (deterministic per instance: {@link #reset} restarts the sequence). A group of
 * bins that no reliable previous-frame bin reaches (an onset after silence) starts from its loudest
 * bin, continuing that bin's previous phase.
 *
 * <p>Look-ahead 0 is causal; look-ahead 1 estimates the time-direction magnitude gradient with a
 * centred difference and delays output by one frame. {@code push} allocates nothing; one instance per
 * stream; not thread safe.
 */
public final class Rtpghi implements StreamingInverter {
    /** Default relative magnitude below which phase is not integrated. */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    private static final byte UNKNOWN = 0;
    private static final byte DONE = 1;
    private static final byte BELOW = 2;

    private final StftConfig config;
    private final int lookahead;
    private final double tolerance;
    private final long seed;
    private final int bins;
    private final HeuristicDerivatives derivatives;
    private final double[] advance;
    private final float[] dt;
    private final float[] df;
    private final float[] magnitude;
    private final float[] keys;
    private final double[] prevPhase;
    private final double[] phase;
    private final double[] cos;
    private final double[] sin;
    private final byte[] state;
    private final IndexMaxHeap heap;
    private long rng;

    /** RTPGHI with {@link #DEFAULT_TOLERANCE}. */
    public Rtpghi(StftConfig config, int lookahead) {
        this(config, lookahead, DEFAULT_TOLERANCE, MagnitudeGradients.DEFAULT_RELATIVE_FLOOR, 1);
    }

    /**
     * @param config        STFT settings (Hann window)
     * @param lookahead     0 or 1 frame
     * @param tolerance     relative magnitude in [0, 1) at or below which a bin gets random phase
     * @param relativeFloor log floor of the derivative estimate, see {@link HeuristicDerivatives}
     * @param seed          seed of the random phases of negligible bins
     */
    public Rtpghi(StftConfig config, int lookahead, double tolerance, double relativeFloor, long seed) {
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance);
        }
        this.config = config;
        this.lookahead = lookahead;
        this.tolerance = tolerance;
        this.seed = seed;
        this.bins = config.bins();
        this.derivatives = new HeuristicDerivatives(config, lookahead, relativeFloor);
        this.advance = new double[bins];
        for (int k = 0; k < bins; k++) {
            advance[k] = PhaseMath.binAdvance(k, config.hop(), config.fftSize());
        }
        this.dt = new float[bins];
        this.df = new float[bins - 1];
        this.magnitude = new float[bins];
        this.keys = new float[2 * bins];
        this.prevPhase = new double[bins];
        this.phase = new double[bins];
        this.cos = new double[bins];
        this.sin = new double[bins];
        this.state = new byte[bins];
        this.heap = new IndexMaxHeap(2 * bins);
        reset();
    }

    @Override
    public String name() {
        return lookahead == 0 ? "rtpghi" : "rtpghi-la" + lookahead;
    }

    @Override
    public StftConfig config() {
        return config;
    }

    @Override
    public int lookahead() {
        return lookahead;
    }

    @Override
    public void reset() {
        derivatives.reset();
        Arrays.fill(prevPhase, 0);
        Arrays.fill(keys, 0f);
        rng = initialRandomState(seed);
    }

    /**
     * The derivative estimator's state, the previous frame's phase (doubles) and magnitude (the heap's
     * keys of the previous frame, floats), and the random sequence's position.
     */
    @Override
    public int stateBytes() {
        return derivatives.stateBytes() + bins * (Double.BYTES + Float.BYTES) + Long.BYTES;
    }

    @Override
    public void saveState(ByteBuffer out) {
        derivatives.saveState(out);
        for (int k = 0; k < bins; k++) {
            out.putDouble(prevPhase[k]);
        }
        for (int k = 0; k < bins; k++) {
            out.putFloat(keys[k]);
        }
        out.putLong(rng);
    }

    @Override
    public void restoreState(ByteBuffer in) {
        try {
            derivatives.restoreState(in);
        } catch (IllegalArgumentException e) {
            reset();
            throw e;
        }
        for (int k = 0; k < bins; k++) {
            prevPhase[k] = in.getDouble();
        }
        for (int k = 0; k < bins; k++) {
            keys[k] = in.getFloat();
        }
        long r = in.getLong();
        if (r == 0) {
            reset();
            throw new IllegalArgumentException("rtpghi state: random sequence state 0 is unreachable");
        }
        rng = r;
    }

    /** SplitMix64 of the seed, never 0 (xorshift would stay at 0). */
    static long initialRandomState(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return z == 0 ? 0x9E3779B97F4A7C15L : z;
    }

    /**
     * Pushes magnitude frame t (N/2+1 finite non-negative values); once the look-ahead is filled writes
     * frame t − lookahead() as its magnitude times e^{iφ} into {@code outRe}/{@code outIm}.
     */
    @Override
    public boolean push(float[] mag, float[] outRe, float[] outIm) {
        if (!derivatives.push(mag, dt, df, magnitude)) {
            return false;
        }
        integrate();
        for (int k = 0; k < bins; k++) {
            phase[k] = PhaseMath.princarg(phase[k]);
        }
        FastSinCos.cosSin(phase, cos, sin, bins);
        for (int k = 0; k < bins; k++) {
            outRe[k] = (float) (magnitude[k] * cos[k]);
            outIm[k] = (float) (magnitude[k] * sin[k]);
        }
        System.arraycopy(phase, 0, prevPhase, 0, bins);
        System.arraycopy(magnitude, 0, keys, 0, bins);
        return true;
    }

    /** Heap over nodes 0..B−1 (previous frame, phase known) and B..2B−1 (current frame). */
    private void integrate() {
        System.arraycopy(magnitude, 0, keys, bins, bins);
        float max = 0f;
        for (float v : keys) {
            max = Math.max(max, v);
        }
        double threshold = tolerance * max;
        for (int k = 0; k < bins; k++) {
            state[k] = magnitude[k] > threshold ? UNKNOWN : BELOW;
        }
        heap.clear(keys);
        for (int k = 0; k < bins; k++) {
            if (keys[k] > threshold && state[k] == UNKNOWN) {
                heap.addUnordered(k);
            }
        }
        heap.heapify();
        while (true) {
            while (!heap.isEmpty()) {
                int node = heap.pop();
                if (node < bins) {
                    if (state[node] == UNKNOWN) {
                        continueInTime(node);
                    }
                    continue;
                }
                int k = node - bins;
                if (k + 1 < bins && state[k + 1] == UNKNOWN) {
                    phase[k + 1] = phase[k] + df[k];
                    state[k + 1] = DONE;
                    heap.insert(node + 1);
                }
                if (k > 0 && state[k - 1] == UNKNOWN) {
                    phase[k - 1] = phase[k] - df[k - 1];
                    state[k - 1] = DONE;
                    heap.insert(node - 1);
                }
            }
            int loudest = -1;
            for (int k = 0; k < bins; k++) {
                if (state[k] == UNKNOWN && (loudest < 0 || magnitude[k] > magnitude[loudest])) {
                    loudest = k;
                }
            }
            if (loudest < 0) {
                break;
            }
            continueInTime(loudest);
        }
        for (int k = 0; k < bins; k++) {
            if (state[k] == BELOW) {
                phase[k] = randomPhase();
            }
        }
    }

    private void continueInTime(int k) {
        phase[k] = prevPhase[k] + advance[k] + dt[k];
        state[k] = DONE;
        heap.insert(bins + k);
    }

    /** Uniform in [−π, π) from a xorshift64* sequence. */
    private double randomPhase() {
        long x = rng;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        rng = x;
        long r = x * 0x2545F4914F6CDD1DL;
        return ((r >>> 11) * 0x1.0p-53) * PhaseMath.TWO_PI - Math.PI;
    }
}
