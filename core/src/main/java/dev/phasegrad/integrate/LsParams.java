package dev.phasegrad.integrate;

/**
 * Weighting and regularisation of the per-frame least-squares phase integration (see
 * {@link LsIntegrator} for the objective and {@link LsWeights} for how the weights are formed).
 * Immutable and shareable.
 *
 * @param p            magnitude exponent of the weights, ≥ 0: larger values trust loud bins more
 * @param gamma0       frequency-direction weight scale γ₀ ≥ 0 relative to the time direction
 *                     (0 = time-direction integration only)
 * @param onsetEpsilon onset anchor ε in [0, 1]: the previous-frame magnitude in the time weight is
 *                     floored at ε times the current one, so frames after digital silence keep a
 *                     (weak) time anchor instead of collapsing to phase 0
 * @param delta        diagonal regularisation δ &gt; 0: the diagonal is scaled by (1 + δ)
 */
public record LsParams(double p, double gamma0, double onsetEpsilon, double delta) {
    /** Default onset anchor: only matters where the previous frame is 60 dB below the current one. */
    public static final double DEFAULT_ONSET_EPSILON = 1e-3;
    /**
     * Default regularisation. It bounds the condition number near 1/δ; measured on speech frames,
     * δ = 1e-9 lets ‖b − Au‖/‖b‖ reach 1e-7 (backward error still 1e-16) while 1e-6 keeps it below
     * 1e-10. It cannot rotate phases: where the frequency chain dominates, the solution is a complex
     * multiple of the chain's consistent vector and (1+δ) scaling only shrinks that multiple.
     */
    public static final double DEFAULT_DELTA = 1e-6;

    public LsParams {
        if (!(p >= 0) || Double.isInfinite(p)) {
            throw new IllegalArgumentException("weight exponent p must be finite and >= 0, got " + p);
        }
        if (!(gamma0 >= 0) || Double.isInfinite(gamma0)) {
            throw new IllegalArgumentException("frequency weight gamma0 must be finite and >= 0, got " + gamma0);
        }
        if (!(onsetEpsilon >= 0 && onsetEpsilon <= 1)) {
            throw new IllegalArgumentException("onset epsilon must be in [0, 1], got " + onsetEpsilon);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("regularisation delta must be in (0, 1), got " + delta);
        }
    }

    /** Given p and γ₀ with the default ε and δ. */
    public static LsParams of(double p, double gamma0) {
        return new LsParams(p, gamma0, DEFAULT_ONSET_EPSILON, DEFAULT_DELTA);
    }
}
