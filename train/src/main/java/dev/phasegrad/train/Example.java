package dev.phasegrad.train;

/**
 * Targets of one training example: for each frame the network serves (slot 0 … stride−1, oldest
 * first), the true Δt (K values) and Δf (K−1 values) as cosine and sine (so the loss needs no
 * trigonometry of the targets) and their loss weights. Plus where its input
 * comes from: utterance and newest input frame.
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
    final float sumWdt;
    final float sumWdf;

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
