/**
 * Running a {@link dev.phasegrad.nn.PhaseModel}, inference only; internal, exported to phasegrad's own
 * modules only.
 *
 * <p>Data path: magnitude frame → {@link dev.phasegrad.nn.InputFeatures} (floored log, mean removed,
 * scaled; the newest frames as channels) → {@link dev.phasegrad.nn.runtime.ModelRunner} (convolutions along
 * frequency, {@link dev.phasegrad.nn.runtime.ConvKernels}) → (cos, sin) heads → Δt, Δf in the definitions of
 * {@link dev.phasegrad.derivatives.PhaseDerivatives}, as unit phasors (what the least-squares
 * integrator consumes) or, on demand, as angles.
 * {@link dev.phasegrad.nn.runtime.NetworkDerivatives} wraps it as a streaming
 * {@link dev.phasegrad.derivatives.PhasorDerivativeEstimator} for the least-squares integrator.
 */
package dev.phasegrad.nn.runtime;
