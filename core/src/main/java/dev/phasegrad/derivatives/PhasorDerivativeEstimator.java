package dev.phasegrad.derivatives;

/**
 * A {@link DerivativeEstimator} that can also hand over its derivatives as unit phasors, e^{iΔt} and
 * e^{iΔf}, for an LS integration that needs nothing else: an estimator that naturally produces
 * (cos, sin) pairs (the network's heads) then skips forming angles, and the integrator skips
 * their cos/sin.
 */
public interface PhasorDerivativeEstimator extends DerivativeEstimator {
    /**
     * Like {@link #push}, with the frame's derivatives written as unit phasors: {@code dtCos/dtSin[0..N/2]}
     * for Δt, {@code dfCos/dfSin[0..N/2−1]} for Δf. Allocates nothing.
     */
    boolean pushPhasors(
            float[] magnitude, double[] dtCos, double[] dtSin, double[] dfCos, double[] dfSin, float[] outMagnitude);
}
