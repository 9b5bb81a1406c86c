package dev.phasegrad.train;

/**
 * Adam (Kingma and Ba) with bias correction, optional global-norm gradient clipping.
 * Not thread safe; state is exposed for checkpoints.
 */
public final class Adam {
    final float[] m;
    final float[] v;
    long step;
    private final double beta1;
    private final double beta2;
    private final double eps;

    public Adam(int size, double beta1, double beta2, double eps) {
        this.m = new float[size];
        this.v = new float[size];
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    public Adam(int size) {
        this(size, 0.9, 0.999, 1e-8);
    }

    public long step() {
        return step;
    }

    /**
     * One update of {@code params} in place with gradient {@code grad}.
     *
     * @param clip global gradient norm limit (≤ 0: none)
     * @return the gradient norm before clipping
     */
    public double update(float[] params, float[] grad, double lr, double clip) {
        double norm = 0;
        for (float g : grad) {
            norm += (double) g * g;
        }
        norm = Math.sqrt(norm);
        double scale = clip > 0 && norm > clip ? clip / norm : 1;
        step++;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        double a = lr * Math.sqrt(c2) / c1;
        for (int i = 0; i < params.length; i++) {
            double g = grad[i] * scale;
            m[i] = (float) (beta1 * m[i] + (1 - beta1) * g);
            v[i] = (float) (beta2 * v[i] + (1 - beta2) * g * g);
            params[i] -= (float) (a * m[i] / (Math.sqrt(v[i]) + eps));
        }
        return norm;
    }
}
