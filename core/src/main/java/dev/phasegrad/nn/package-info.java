/**
 * The tiny causal CNN that predicts phase derivatives from log-magnitudes, inference only.
 *
 * <p>Data path: magnitude frame → {@link dev.phasegrad.nn.InputFeatures} (floored log, mean removed,
 * scaled; the newest frames as channels) → {@link dev.phasegrad.nn.ModelRunner} (convolutions along
 * frequency, {@link dev.phasegrad.nn.ConvKernels}) → (cos, sin) heads → Δt, Δf in the definitions of
 * {@link dev.phasegrad.derivatives.PhaseDerivatives}, as unit phasors (what the least-squares
 * integrator consumes) or, on demand, as angles.
 * {@link dev.phasegrad.nn.NetworkDerivatives} wraps it as a streaming
 * {@link dev.phasegrad.derivatives.PhasorDerivativeEstimator} for the least-squares integrator.
 * {@link dev.phasegrad.nn.PhaseModel} is the immutable, shareable model with its file format;
 * built-in models are class-path resources under {@code dev/phasegrad/models/}.
 * Backward passes and training live in the separate {@code train} module.
 */
package dev.phasegrad.nn;
