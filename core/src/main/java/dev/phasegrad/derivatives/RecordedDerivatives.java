package dev.phasegrad.derivatives;

import dev.phasegrad.stft.StftConfig;
import java.nio.ByteBuffer;

/**
 * The derivative frames an estimator produced for a whole signal, kept so that an LS integration
 * can be fed them again and again without running the estimator: to score many LS settings on one
 * network's output (training's tuner) or to time the integration alone ({@code phasegrad bench}).
 *
 * <p>A {@link #replay()} hands the frames over as the source did, with the source's look-ahead
 * (push t yields frame t − lookahead) and as unit phasors when the source offers them, so an
 * {@code LsInverter} fed a replay takes the same path and writes the same phase, bit for bit, as one
 * fed the source. Immutable; every replay is a fresh estimator with its own position.
 */
public final class RecordedDerivatives {
    private final StftConfig config;
    private final int lookahead;
    private final float[][] magnitude; // the source's output magnitude per frame
    private final float[][] dt; // null when recorded as phasors
    private final float[][] df;
    private final double[][][] phasors; // [frame][dtCos, dtSin, dfCos, dfSin]; null when recorded as angles

    private RecordedDerivatives(
            StftConfig config, int lookahead, float[][] magnitude, float[][] dt, float[][] df, double[][][] phasors) {
        this.config = config;
        this.lookahead = lookahead;
        this.magnitude = magnitude;
        this.dt = dt;
        this.df = df;
        this.phasors = phasors;
    }

    /**
     * Runs {@code source} over {@code magnitude} (then silent frames to drain its look-ahead), one
     * derivative frame per magnitude frame. The source is reset before and after.
     */
    public static RecordedDerivatives record(DerivativeEstimator source, float[][] magnitude) {
        StftConfig cfg = source.config();
        int bins = cfg.bins();
        int frames = magnitude.length;
        int la = source.lookahead();
        float[][] mag = new float[frames][bins];
        float[] silence = new float[bins];
        source.reset();
        int out = 0;
        RecordedDerivatives r;
        if (source instanceof PhasorDerivativeEstimator p) {
            double[][][] ph = new double[frames][][];
            for (int t = 0; t < frames + la && out < frames; t++) {
                double[][] f = {new double[bins], new double[bins], new double[bins - 1], new double[bins - 1]};
                if (p.pushPhasors(t < frames ? magnitude[t] : silence, f[0], f[1], f[2], f[3], mag[out])) {
                    ph[out++] = f;
                }
            }
            r = new RecordedDerivatives(cfg, la, mag, null, null, ph);
        } else {
            float[][] dt = new float[frames][bins];
            float[][] df = new float[frames][bins - 1];
            for (int t = 0; t < frames + la && out < frames; t++) {
                if (source.push(t < frames ? magnitude[t] : silence, dt[out], df[out], mag[out])) {
                    out++;
                }
            }
            r = new RecordedDerivatives(cfg, la, mag, dt, df, null);
        }
        source.reset();
        if (out != frames) {
            throw new IllegalStateException(
                    "the estimator gave " + out + " derivative frames for " + frames + " magnitude frames");
        }
        return r;
    }

    /** {@return the STFT settings of the recorded frames} */
    public StftConfig config() {
        return config;
    }

    /** {@return the recorded frames' count: one per magnitude frame} */
    public int frames() {
        return magnitude.length;
    }

    /** {@return the source's look-ahead, which replays keep} */
    public int lookahead() {
        return lookahead;
    }

    /**
     * {@return a fresh estimator that replays the recording from its first frame, ignoring the
     * magnitudes pushed to it; a {@link PhasorDerivativeEstimator} when the source was one}
     */
    public DerivativeEstimator replay() {
        return phasors != null ? new PhasorReplay() : new Replay();
    }

    /** The replay position and what every replay does with it. */
    private abstract class Position implements DerivativeEstimator {
        private int pushed;

        /** Index of the frame this push yields, or −1 (look-ahead still filling, or past the end). */
        final int next(float[] outMagnitude) {
            int f = pushed++ - lookahead;
            if (f < 0 || f >= magnitude.length) {
                return -1;
            }
            System.arraycopy(magnitude[f], 0, outMagnitude, 0, outMagnitude.length);
            return f;
        }

        @Override
        public final StftConfig config() {
            return config;
        }

        @Override
        public final int lookahead() {
            return lookahead;
        }

        @Override
        public final void reset() {
            pushed = 0;
        }

        /** The replay position. */
        @Override
        public final int stateBytes() {
            return Integer.BYTES;
        }

        @Override
        public final void saveState(ByteBuffer out) {
            out.putInt(pushed);
        }

        @Override
        public final void restoreState(ByteBuffer in) {
            int n = in.getInt();
            if (n < 0) {
                reset();
                throw new IllegalArgumentException("replay position " + n + " is negative");
            }
            pushed = n;
        }
    }

    private final class Replay extends Position {
        @Override
        public boolean push(float[] magnitude, float[] outDt, float[] outDf, float[] outMagnitude) {
            int f = next(outMagnitude);
            if (f < 0) {
                return false;
            }
            System.arraycopy(dt[f], 0, outDt, 0, outDt.length);
            System.arraycopy(df[f], 0, outDf, 0, outDf.length);
            return true;
        }
    }

    private final class PhasorReplay extends Position implements PhasorDerivativeEstimator {
        /** The recorded phasors' angles. */
        @Override
        public boolean push(float[] magnitude, float[] outDt, float[] outDf, float[] outMagnitude) {
            int f = next(outMagnitude);
            if (f < 0) {
                return false;
            }
            double[][] p = phasors[f];
            for (int k = 0; k < outDt.length; k++) {
                outDt[k] = (float) Math.atan2(p[1][k], p[0][k]);
            }
            for (int k = 0; k < outDf.length; k++) {
                outDf[k] = (float) Math.atan2(p[3][k], p[2][k]);
            }
            return true;
        }

        @Override
        public boolean pushPhasors(
                float[] magnitude,
                double[] dtCos,
                double[] dtSin,
                double[] dfCos,
                double[] dfSin,
                float[] outMagnitude) {
            int f = next(outMagnitude);
            if (f < 0) {
                return false;
            }
            double[][] p = phasors[f];
            System.arraycopy(p[0], 0, dtCos, 0, dtCos.length);
            System.arraycopy(p[1], 0, dtSin, 0, dtSin.length);
            System.arraycopy(p[2], 0, dfCos, 0, dfCos.length);
            System.arraycopy(p[3], 0, dfSin, 0, dfSin.length);
            return true;
        }
    }
}
