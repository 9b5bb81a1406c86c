package dev.phasegrad.train;

/**
 * Targets of one training example: for each frame the network serves (slot 0 … stride−1, oldest
 * first), the true Δt (K values) and Δf (K−1 values) and their loss weights. Plus where its input
 * comes from: utterance and newest input frame.
 */
public final class Example {
    final Utterance utterance;
    final int newest;
    final float[][] dt;
    final float[][] df;
    final float[][] wdt;
    final float[][] wdf;
    final float sumWdt;
    final float sumWdf;

    Example(Utterance utterance, int newest, float[][] dt, float[][] df, float[][] wdt, float[][] wdf) {
        this.utterance = utterance;
        this.newest = newest;
        this.dt = dt;
        this.df = df;
        this.wdt = wdt;
        this.wdf = wdf;
        this.sumWdt = total(wdt);
        this.sumWdf = total(wdf);
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
