/**
 * Phase from phase derivatives by per-frame weighted least squares, forward and backward.
 *
 * <ul>
 *   <li>{@link dev.phasegrad.integrate.LsIntegrator}: builds the frame's Hermitian tridiagonal normal
 *       equations from magnitudes, previous phase, Δt, Δf and weights, solves them, and back-propagates
 *       a loss gradient (on the solution or on the output phase) to Δt, Δf and the weights with one
 *       more solve. The objective, regularisation, guards and the adjoint are documented there.</li>
 *   <li>{@link dev.phasegrad.integrate.LsWeights}: the default weights from the current and previous
 *       magnitudes; {@link dev.phasegrad.integrate.LsParams}: p, γ₀, onset ε, δ;
 *       {@link dev.phasegrad.integrate.LsDefaults}: tuned values per STFT configuration and derivative
 *       source.</li>
 *   <li>{@link dev.phasegrad.integrate.HermitianTridiagonalSolver} with
 *       {@link dev.phasegrad.integrate.TridiagonalSolver} (O(n) LDLᴴ, the production path),
 *       {@link dev.phasegrad.integrate.ConjugateGradientSolver} and
 *       {@link dev.phasegrad.integrate.DenseSolver} (O(n³) reference).</li>
 * </ul>
 *
 * <p>Typical use per frame (what {@link dev.phasegrad.invert.LsInverter} does; a training loop adds
 * the backward call):
 * <pre>{@code
 *   LsWeights.compute(mag, prevMag, params, lambda, gamma);
 *   integrator.integrate(mag, prevPhase, dt, df, lambda, gamma, phase);
 *   integrator.backwardFromPhase(dLdPhase, dLdDt, dLdDf, null, null);   // training only
 * }</pre>
 * A stream that only synthesises (no backward pass on phases) can stay in unit phasors with
 * {@code integrator.integrateUnit(mag, prevRe, prevIm, dt, df, lambda, gamma, outRe, outIm)}: same
 * minimiser, no arc tangent and no cos/sin of the running phase per bin (what LsInverter uses).
 * Arrays are double precision, K = N/2+1 long (K−1 for frequency-direction quantities). Objects hold
 * their work arrays: one per thread, allocation-free after construction.
 */
package dev.phasegrad.integrate;
