package dev.phasegrad.train;

/**
 * Targets of one training example: for each frame the network serves (slot 0 … stride−1, oldest
 * first), the true Δt (K values) and Δf (K−1 values) as cosine and sine (so the loss needs no
 * trigonometry of the targets) and their loss weights; or, for a mel refiner, the log-magnitude
 * correction that turns the input's newest (NNLS) frame into the true one, and its per-bin weights.
 * Plus where its input comes from: utterance and newest input frame.
 */
public final class Example {
    final Utterance utterance;
    final int newest;
    final float[][] cdt;
    final float[][] sdt;
    final float[][] cdf;
    final float[][] sdf;
    final float[][] wdt;
    final float[][] wdf;
    /** Normaliser of the first loss term: Σ of the Δt weights, or of the magnitude weights. */
    final float sumWdt;

    final float sumWdf;
    /** Mel refiner: true floored log-magnitude − input floored log-magnitude (K values); null otherwise. */
    final float[] logResidual;
    /** Mel refiner: loss weight per bin; null otherwise. */
    final float[] magnitudeWeight;

    Example(Utterance utterance, int newest, float[][] dt, float[][] df, float[][] wdt, float[][] wdf) {
        this.utterance = utterance;
        this.newest = newest;
        this.cdt = cos(dt);
        this.sdt = sin(dt);
        this.cdf = cos(df);
        this.sdf = sin(df);
        this.wdt = wdt;
        this.wdf = wdf;
        this.sumWdt = total(wdt);
        this.sumWdf = total(wdf);
        this.logResidual = null;
        this.magnitudeWeight = null;
    }

    /** A mel-refiner example: target {@code logResidual} per bin, weighted by {@code weight}. */
    Example(Utterance utterance, int newest, float[] logResidual, float[] weight) {
        this.utterance = utterance;
        this.newest = newest;
        this.cdt = null;
        this.sdt = null;
        this.cdf = null;
        this.sdf = null;
        this.wdt = null;
        this.wdf = null;
        this.logResidual = logResidual;
        this.magnitudeWeight = weight;
        this.sumWdt = total(new float[][] {weight});
        this.sumWdf = 0f;
    }

    private static float[][] cos(float[][] a) {
        float[][] o = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            o[i] = new float[a[i].length];
            for (int k = 0; k < a[i].length; k++) {
                o[i][k] = (float) Math.cos(a[i][k]);
            }
        }
        return o;
    }

    private static float[][] sin(float[][] a) {
        float[][] o = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            o[i] = new float[a[i].length];
            for (int k = 0; k < a[i].length; k++) {
                o[i][k] = (float) Math.sin(a[i][k]);
            }
        }
        return o;
    }

    private static float total(float[][] w) {
        double s = 0;
        for (float[] row : w) {
            for (float v : row) {
                s += v;
            }
        }
        return (float) s;
    }
}
