package dev.phasegrad.integrate;

import dev.phasegrad.derivatives.FastSinCos;
import dev.phasegrad.derivatives.PhaseDerivatives;
import dev.phasegrad.derivatives.PhaseMath;
import dev.phasegrad.stft.StftConfig;

/**
 * Per-frame weighted least-squares phase integration, forward and backward (adjoint).
 *
 * <h2>Objective</h2>
 * For frame t with magnitudes m_k, previous phases φ_k (of frame t−1), derivatives Δt_k, Δf_k in the
 * definitions of {@link PhaseDerivatives}, and weights λ_k, γ_k ≥ 0, find complex x_k,
 * k = 0 … K−1 (K = N/2+1), minimising
 * <pre>
 *   Σ_k λ_k |x_k − m_k a_k|² + Σ_{k&lt;K−1} γ_k |x_{k+1} − (m_{k+1}/m_k) c_k x_k|²,
 *   a_k = e^{iθ_k},  θ_k = φ_k + 2πkH/N + Δt_k,   c_k = e^{iΔf_k}.
 * </pre>
 * The first sum asks each bin to continue its phase from the previous frame, the second asks
 * neighbouring bins to differ by the frequency-direction derivative (magnitudes carried along).
 * The output phase is arg x_k; the caller synthesises with its own magnitudes.
 *
 * <p>Substituting x_k = m_k u_k removes the 0/0 of m_{k+1}/m_k in silence and leaves the same
 * minimiser wherever m &gt; 0:
 * <pre>
 *   f(u) = Σ_k α_k |u_k − a_k|² + Σ_k β_k |u_{k+1} − c_k u_k|²,   α_k = λ_k m_k²,  β_k = γ_k m_{k+1}².
 * </pre>
 * (Internally m is divided by the frame's peak magnitude first: scaling α and β together leaves the
 * minimiser unchanged and keeps the system's scale independent of the signal gain.)
 * Setting ∂f/∂ū = 0 gives the normal equations A u = b with A Hermitian tridiagonal, positive
 * semi-definite:
 * <pre>
 *   A(k,k) = α_k + β_k + β_{k−1},   A(k+1,k) = −β_k c_k,   A(k,k+1) = −β_k c̄_k,   b_k = α_k a_k.
 * </pre>
 * Regularisation: the diagonal is scaled by (1 + δ) and a tiny absolute floor is added. Scaling
 * (rather than adding δ·max diag) keeps the system diagonally dominant — hence positive definite
 * and safe for LDLᴴ without pivoting — without drowning quiet bins, whose weights can be many
 * decades below the frame peak. The floor only matters for all-zero rows (bins with no
 * constraint at all), whose u is then 0.
 *
 * <h2>Guards</h2>
 * Magnitudes and weights must be finite and ≥ 0 (else IllegalArgumentException). A non-finite
 * Δt_k or φ_k drops that time term, a non-finite Δf_k drops that frequency term, so one bad value
 * cannot poison later frames. Where u_k = 0 (no information reached the bin: silence) the phase
 * falls back to θ_k, or to φ_k + 2πkH/N, or 0, whichever is first finite. Output phases are always
 * finite, in [−π, π].
 *
 * <h2>Backward</h2>
 * For a real loss L, gradients of complex quantities use the convention
 * g_z = ∂L/∂Re z + i ∂L/∂Im z. Differentiating A u = b: du = A⁻¹(db − dA u), so with the adjoint
 * w = A⁻ᴴ g_u = A⁻¹ g_u (one more tridiagonal solve; A is Hermitian) the gradients are
 * g_b = w and g_A = −w uᴴ. Chaining through the parametrisation above:
 * <pre>
 *   ∂L/∂α_k  = Re( w̄_k (a_k − (1+δ) u_k) )
 *   ∂L/∂β_k  = Re( w̄_{k+1} c_k u_k + w̄_k c̄_k u_{k+1} − (1+δ)(w̄_k u_k + w̄_{k+1} u_{k+1}) )
 *   ∂L/∂Δt_k = −α_k Im( w̄_k a_k )                      (= ∂L/∂φ_k of the previous phase)
 *   ∂L/∂Δf_k = β_k Im( w̄_k c̄_k u_{k+1} − w̄_{k+1} c_k u_k )
 *   ∂L/∂λ_k = m_k² ∂L/∂α_k,   ∂L/∂γ_k = m_{k+1}² ∂L/∂β_k,
 * </pre>
 * with g_u = m ⊙ g_x when starting from the solution x, or g_u = g_ψ · i u / |u|² when starting from
 * the output phase ψ = arg u. Dropped terms get zero gradient. Magnitudes are treated as constants.
 *
 * <p>One instance per stream or training worker: not thread safe; every method is allocation-free.
 * {@link #backward} and {@link #backwardFromPhase} refer to the most recent {@link #integrate} call.
 */
public final class LsIntegrator {
    /**
     * Absolute diagonal floor. The system is built from peak-normalised magnitudes (m / max m, which
     * leaves the minimiser unchanged), so this is far below any weight that carries information and
     * only all-zero rows ever see it.
     */
    static final double FLOOR = 1e-290;

    private final StftConfig config;
    private final int bins;
    private final double delta;
    private final HermitianTridiagonalSolver solver;
    private final double[] advance;
    /** e^{i·2πkH/N}: the bin advance as a unit phasor, for the phasor entry point. */
    private final double[] advRe;

    private final double[] advIm;

    private final double[] mag;
    /** (m_k / max m)²: the magnitude factor of α and β, scale-free. */
    private final double[] mag2;

    private final double[] theta;
    private final double[] alpha;
    private final double[] beta;
    private final double[] aRe;
    private final double[] aIm;
    private final double[] cRe;
    private final double[] cIm;
    private final boolean[] timeValid;
    private final boolean[] freqValid;
    private final boolean[] fallback;
    private final double[] diag;
    private final double[] eRe;
    private final double[] eIm;
    private final double[] bRe;
    private final double[] bIm;
    private final double[] uRe;
    private final double[] uIm;
    private final double[] wRe;
    private final double[] wIm;
    private final double[] phase;
    private final double[] unitRe;
    private final double[] unitIm;
    /** Output phasor where u = 0 (phasor entry point), see the guards. */
    private final double[] fallRe;

    private final double[] fallIm;
    private final double[] dtCosScratch; // e^{iΔt} for the angle entry point of integrateUnit
    private final double[] dtSinScratch;
    private boolean solved;

    /** Integrator with the O(K) {@link TridiagonalSolver}. */
    public LsIntegrator(StftConfig config, double delta) {
        this(config, delta, new TridiagonalSolver(config.bins()));
    }

    /**
     * @param delta  diagonal scaling δ in (0, 1), see {@link LsParams#delta()}
     * @param solver solver of capacity ≥ K, owned by this integrator from now on
     */
    public LsIntegrator(StftConfig config, double delta, HermitianTridiagonalSolver solver) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("regularisation delta must be in (0, 1), got " + delta);
        }
        if (solver.capacity() < config.bins()) {
            throw new IllegalArgumentException(
                    "solver capacity " + solver.capacity() + " < " + config.bins() + " bins");
        }
        this.config = config;
        this.bins = config.bins();
        this.delta = delta;
        this.solver = solver;
        this.advance = new double[bins];
        this.advRe = new double[bins];
        this.advIm = new double[bins];
        for (int k = 0; k < bins; k++) {
            advance[k] = PhaseMath.binAdvance(k, config.hop(), config.fftSize());
            advRe[k] = Math.cos(advance[k]);
            advIm[k] = Math.sin(advance[k]);
        }
        int n = bins;
        mag = new double[n];
        mag2 = new double[n];
        theta = new double[n];
        alpha = new double[n];
        beta = new double[n];
        aRe = new double[n];
        aIm = new double[n];
        cRe = new double[n];
        cIm = new double[n];
        timeValid = new boolean[n];
        freqValid = new boolean[n];
        fallback = new boolean[n];
        diag = new double[n];
        eRe = new double[n];
        eIm = new double[n];
        bRe = new double[n];
        bIm = new double[n];
        uRe = new double[n];
        uIm = new double[n];
        wRe = new double[n];
        wIm = new double[n];
        phase = new double[n];
        unitRe = new double[n];
        unitIm = new double[n];
        fallRe = new double[n];
        fallIm = new double[n];
        dtCosScratch = new double[n];
        dtSinScratch = new double[n];
    }

    public StftConfig config() {
        return config;
    }

    /** K = N/2 + 1 unknowns per frame. */
    public int bins() {
        return bins;
    }

    public double delta() {
        return delta;
    }

    public HermitianTridiagonalSolver solver() {
        return solver;
    }

    /**
     * Forward pass for one frame.
     *
     * @param magnitude  m_k, K values, finite and ≥ 0
     * @param prevPhase  φ_k of the previous frame, K values (radians; zeros before the first frame)
     * @param dt         Δt_k, K values (radians per frame, baseband as in {@link PhaseDerivatives})
     * @param df         Δf_k, K−1 values (radians per bin)
     * @param lambda     time weights λ_k, K values, finite and ≥ 0
     * @param gamma      frequency weights γ_k, K−1 values, finite and ≥ 0
     * @param outPhase   K output phases in [−π, π] (written; may be {@code prevPhase} itself)
     */
    public void integrate(
            double[] magnitude,
            double[] prevPhase,
            double[] dt,
            double[] df,
            double[] lambda,
            double[] gamma,
            double[] outPhase) {
        checkLength("magnitude", magnitude, bins);
        checkLength("previous phase", prevPhase, bins);
        checkLength("dt", dt, bins);
        checkLength("df", df, bins - 1);
        checkLength("lambda", lambda, bins);
        checkLength("gamma", gamma, bins - 1);
        checkLength("output phase", outPhase, bins);
        normaliseMagnitudes(magnitude, lambda);
        for (int k = 0; k < bins; k++) {
            theta[k] = prevPhase[k] + advance[k] + dt[k];
        }
        FastSinCos.cosSin(theta, aRe, aIm, bins);
        for (int k = 0; k < bins; k++) {
            double th = theta[k];
            boolean valid = Double.isFinite(th);
            timeValid[k] = valid;
            double al = valid ? lambda[k] * mag2[k] : 0;
            alpha[k] = al;
            if (!valid) {
                theta[k] = 0;
                aRe[k] = 0;
                aIm[k] = 0;
            }
            bRe[k] = al * aRe[k];
            bIm[k] = al * aIm[k];
        }
        FastSinCos.cosSin(df, cRe, cIm, bins - 1);
        buildFrequencyTermsAndSolve(cRe, cIm, gamma);
        for (int k = 0; k < bins; k++) {
            double ur = uRe[k];
            double ui = uIm[k];
            double r2 = ur * ur + ui * ui;
            double ph;
            if (r2 > 0 && r2 < Double.POSITIVE_INFINITY) {
                fallback[k] = false;
                ph = Math.atan2(ui, ur);
                double inv = 1.0 / Math.sqrt(r2);
                unitRe[k] = ur * inv;
                unitIm[k] = ui * inv;
            } else {
                fallback[k] = true;
                if (timeValid[k]) {
                    ph = PhaseMath.princarg(theta[k]);
                } else {
                    double keep = prevPhase[k] + advance[k];
                    ph = Double.isFinite(keep) ? PhaseMath.princarg(keep) : 0;
                }
                unitRe[k] = Math.cos(ph);
                unitIm[k] = Math.sin(ph);
            }
            phase[k] = ph;
            outPhase[k] = ph;
        }
        solved = true;
    }

    /**
     * Forward pass for one frame in unit phasors instead of angles: the same minimiser as
     * {@link #integrate} with φ_k = arg(prev_k), but no angle is ever formed, so a stream that only
     * needs e^{iψ} to synthesise (as {@link dev.phasegrad.invert.LsInverter} does) skips the
     * arc tangent per bin and the cos/sin of the running phase. The target is built by rotation,
     * a_k = prev_k · e^{i2πkH/N} · e^{iΔt_k}; the output is u_k / |u_k|. Where u_k = 0 the output
     * falls back to a_k, or to prev_k · e^{i2πkH/N} if Δt_k is not finite, or to 1 if prev_k is not
     * finite either. Backward passes work after this call as after {@link #integrate}.
     *
     * @param magnitude m_k, K values, finite and ≥ 0
     * @param prevRe    Re e^{iφ_k} of the previous frame, K values of unit phasors (1 + 0i before the
     *                  first frame); a non-finite entry drops that bin's time term
     * @param prevIm    Im e^{iφ_k}, K values
     * @param dt        Δt_k, K values (radians per frame)
     * @param df        Δf_k, K−1 values (radians per bin)
     * @param lambda    time weights λ_k, K values, finite and ≥ 0
     * @param gamma     frequency weights γ_k, K−1 values, finite and ≥ 0
     * @param outRe     Re of the K output unit phasors (written; may be {@code prevRe} itself)
     * @param outIm     Im of the K output unit phasors (written; may be {@code prevIm} itself)
     */
    public void integrateUnit(
            double[] magnitude,
            double[] prevRe,
            double[] prevIm,
            double[] dt,
            double[] df,
            double[] lambda,
            double[] gamma,
            double[] outRe,
            double[] outIm) {
        checkLength("dt", dt, bins);
        checkLength("df", df, bins - 1);
        FastSinCos.cosSin(dt, dtCosScratch, dtSinScratch, bins);
        FastSinCos.cosSin(df, cRe, cIm, bins - 1);
        integrateUnitPhasors(
                magnitude, prevRe, prevIm, dtCosScratch, dtSinScratch, cRe, cIm, lambda, gamma, outRe, outIm);
    }

    /**
     * {@link #integrateUnit} with the derivatives given as unit phasors, e^{iΔt_k} = (dtCos_k, dtSin_k)
     * and e^{iΔf_k} = (dfCos_k, dfSin_k), for estimators that produce them directly (the network's
     * (cos, sin) heads): no angle and no cos/sin is formed at all. A non-finite component marks the
     * derivative missing, as a non-finite angle does in {@link #integrateUnit}. The phasors must have
     * modulus 1 (the LS terms are built from them as given).
     */
    public void integrateUnitPhasors(
            double[] magnitude,
            double[] prevRe,
            double[] prevIm,
            double[] dtCos,
            double[] dtSin,
            double[] dfCos,
            double[] dfSin,
            double[] lambda,
            double[] gamma,
            double[] outRe,
            double[] outIm) {
        checkLength("magnitude", magnitude, bins);
        checkLength("previous phasor (re)", prevRe, bins);
        checkLength("previous phasor (im)", prevIm, bins);
        checkLength("dt cos", dtCos, bins);
        checkLength("dt sin", dtSin, bins);
        checkLength("df cos", dfCos, bins - 1);
        checkLength("df sin", dfSin, bins - 1);
        checkLength("lambda", lambda, bins);
        checkLength("gamma", gamma, bins - 1);
        checkLength("output phasor (re)", outRe, bins);
        checkLength("output phasor (im)", outIm, bins);
        normaliseMagnitudes(magnitude, lambda);
        // the previous phasor rotated by the bin advance and e^{iΔt}. The straight-line pass assumes
        // finite input (it vectorises); the scan after it repairs the rare non-finite bins.
        for (int k = 0; k < bins; k++) {
            double pr = prevRe[k];
            double pi = prevIm[k];
            double rr = pr * advRe[k] - pi * advIm[k];
            double ri = pr * advIm[k] + pi * advRe[k];
            double c = dtCos[k];
            double sn = dtSin[k];
            double ar = rr * c - ri * sn;
            double ai = rr * sn + ri * c;
            double al = lambda[k] * mag2[k];
            aRe[k] = ar;
            aIm[k] = ai;
            alpha[k] = al;
            bRe[k] = al * ar;
            bIm[k] = al * ai;
        }
        for (int k = 0; k < bins; k++) {
            double ar = aRe[k];
            double ai = aIm[k];
            // NaN/∞ in Δt or in the previous phasor make a non-finite; x − x is 0 only when finite
            boolean valid = ar - ar == 0 && ai - ai == 0;
            timeValid[k] = valid;
            if (!valid) {
                double pr = prevRe[k];
                double pi = prevIm[k];
                double rr = pr * advRe[k] - pi * advIm[k];
                double ri = pr * advIm[k] + pi * advRe[k];
                boolean keep = rr - rr == 0 && ri - ri == 0;
                fallRe[k] = keep ? rr : 1;
                fallIm[k] = keep ? ri : 0;
                aRe[k] = 0;
                aIm[k] = 0;
                alpha[k] = 0;
                bRe[k] = 0;
                bIm[k] = 0;
            }
        }
        buildFrequencyTermsAndSolve(dfCos, dfSin, gamma);
        // normalise every bin in a straight-line pass (it vectorises, sqrt and division included), then
        // redo the rare bins whose solution is zero or not finite from their fallback phasor
        for (int k = 0; k < bins; k++) {
            double inv = 1.0 / Math.sqrt(uRe[k] * uRe[k] + uIm[k] * uIm[k]);
            unitRe[k] = uRe[k] * inv;
            unitIm[k] = uIm[k] * inv;
        }
        for (int k = 0; k < bins; k++) {
            double r2 = uRe[k] * uRe[k] + uIm[k] * uIm[k];
            boolean ok = r2 > 0 && r2 < Double.POSITIVE_INFINITY;
            fallback[k] = !ok;
            if (!ok) {
                // the rotated fallback is unit up to rounding; renormalise so long silences cannot drift
                double fr = timeValid[k] ? aRe[k] : fallRe[k];
                double fi = timeValid[k] ? aIm[k] : fallIm[k];
                double inv = 1.0 / Math.sqrt(fr * fr + fi * fi);
                unitRe[k] = fr * inv;
                unitIm[k] = fi * inv;
            }
        }
        System.arraycopy(unitRe, 0, outRe, 0, bins);
        System.arraycopy(unitIm, 0, outIm, 0, bins);
        solved = true;
    }

    /** Validates magnitudes and time weights; writes mag and the scale-free (m / max m)². */
    private void normaliseMagnitudes(double[] magnitude, double[] lambda) {
        int badM = FiniteNonNegative.firstInvalid(magnitude, bins);
        int badL = FiniteNonNegative.firstInvalid(lambda, bins);
        // the lower bin is reported, the magnitude first where both fail at the same bin
        if (badM >= 0 && (badL < 0 || badM <= badL)) {
            throw new IllegalArgumentException(
                    "bin " + badM + ": magnitude must be finite and >= 0, got " + magnitude[badM]);
        }
        if (badL >= 0) {
            throw new IllegalArgumentException(
                    "bin " + badL + ": time weight must be finite and >= 0, got " + lambda[badL]);
        }
        double peak = 0;
        for (int k = 0; k < bins; k++) {
            peak = Math.max(peak, magnitude[k]);
        }
        double invPeak = peak > 0 ? 1.0 / peak : 0;
        for (int k = 0; k < bins; k++) {
            double mn = magnitude[k] * invPeak;
            mag2[k] = mn * mn;
        }
        System.arraycopy(magnitude, 0, mag, 0, bins);
    }

    /** β, c and the sub-diagonal from e^{iΔf} and γ, the regularised diagonal, then the solve into u. */
    private void buildFrequencyTermsAndSolve(double[] dfCos, double[] dfSin, double[] gamma) {
        int last = bins - 1;
        int badG = FiniteNonNegative.firstInvalid(gamma, last);
        if (badG >= 0) {
            throw new IllegalArgumentException(
                    "bin " + badG + ": frequency weight must be finite and >= 0, got " + gamma[badG]);
        }
        if (dfCos != cRe) {
            System.arraycopy(dfCos, 0, cRe, 0, last);
            System.arraycopy(dfSin, 0, cIm, 0, last);
        }
        for (int k = 0; k < last; k++) {
            double be = gamma[k] * mag2[k + 1];
            beta[k] = be;
            eRe[k] = -be * cRe[k];
            eIm[k] = -be * cIm[k];
        }
        for (int k = 0; k < last; k++) {
            double fc = cRe[k];
            double fs = cIm[k];
            boolean valid = fc - fc == 0 && fs - fs == 0;
            freqValid[k] = valid;
            if (!valid) {
                beta[k] = 0;
                cRe[k] = 1;
                cIm[k] = 0;
                eRe[k] = 0;
                eIm[k] = 0;
            }
        }
        double scale = 1 + delta;
        if (last == 0) {
            diag[0] = alpha[0] * scale + FLOOR;
        } else {
            // (α_k + β_k + β_{k−1})·(1+δ) + floor, in that order of additions at every k
            diag[0] = (alpha[0] + beta[0] + 0.0) * scale + FLOOR;
            for (int k = 1; k < last; k++) {
                diag[k] = (alpha[k] + beta[k] + beta[k - 1]) * scale + FLOOR;
            }
            diag[last] = (alpha[last] + 0.0 + beta[last - 1]) * scale + FLOOR;
        }
        solver.solve(bins, diag, eRe, eIm, bRe, bIm, uRe, uIm);
    }

    /** The last solution x = m ⊙ u (the complex LS minimiser, before magnitude re-imposition). */
    public void copySolution(double[] outRe, double[] outIm) {
        requireSolved();
        for (int k = 0; k < bins; k++) {
            outRe[k] = mag[k] * uRe[k];
            outIm[k] = mag[k] * uIm[k];
        }
    }

    /**
     * The last regularised system A u = b in {@link HermitianTridiagonalSolver} storage (K diagonal
     * entries, K−1 sub-diagonal entries, K right-hand-side entries), for benchmarks and checks.
     */
    public void copySystem(double[] outDiag, double[] outERe, double[] outEIm, double[] outBRe, double[] outBIm) {
        requireSolved();
        System.arraycopy(diag, 0, outDiag, 0, bins);
        System.arraycopy(eRe, 0, outERe, 0, bins - 1);
        System.arraycopy(eIm, 0, outEIm, 0, bins - 1);
        System.arraycopy(bRe, 0, outBRe, 0, bins);
        System.arraycopy(bIm, 0, outBIm, 0, bins);
    }

    /** True where the last output phase was a fallback (u_k = 0), not arg u_k. */
    public boolean isFallback(int k) {
        requireSolved();
        return fallback[k];
    }

    /**
     * Backward pass from the gradient with respect to the solution x = m ⊙ u of the last
     * {@link #integrate}. Any output array may be null to skip it.
     *
     * @param gradXRe     ∂L/∂Re x_k, K values
     * @param gradXIm     ∂L/∂Im x_k, K values
     * @param outGradDt   ∂L/∂Δt_k (equal to ∂L/∂φ_k of the previous phase), K values
     * @param outGradDf   ∂L/∂Δf_k, K−1 values
     * @param outGradLambda ∂L/∂λ_k, K values
     * @param outGradGamma  ∂L/∂γ_k, K−1 values
     */
    public void backward(
            double[] gradXRe,
            double[] gradXIm,
            double[] outGradDt,
            double[] outGradDf,
            double[] outGradLambda,
            double[] outGradGamma) {
        requireSolved();
        checkLength("gradient (re)", gradXRe, bins);
        checkLength("gradient (im)", gradXIm, bins);
        for (int k = 0; k < bins; k++) {
            wRe[k] = mag[k] * gradXRe[k];
            wIm[k] = mag[k] * gradXIm[k];
        }
        adjoint(outGradDt, outGradDf, outGradLambda, outGradGamma);
    }

    /**
     * Backward pass from the gradient with respect to the output phases ψ_k of the last
     * {@link #integrate}. Fallback bins (ψ_k = θ_k) pass their gradient straight to Δt_k.
     * Output arrays as in {@link #backward}; any may be null.
     *
     * @param gradPhase ∂L/∂ψ_k, K values
     */
    public void backwardFromPhase(
            double[] gradPhase, double[] outGradDt, double[] outGradDf, double[] outGradLambda, double[] outGradGamma) {
        requireSolved();
        checkLength("phase gradient", gradPhase, bins);
        for (int k = 0; k < bins; k++) {
            if (fallback[k]) {
                wRe[k] = 0;
                wIm[k] = 0;
            } else {
                // ∂ψ/∂u = i u / |u|²
                double ur = uRe[k];
                double ui = uIm[k];
                double s = gradPhase[k] / (ur * ur + ui * ui);
                wRe[k] = -s * ui;
                wIm[k] = s * ur;
            }
        }
        adjoint(outGradDt, outGradDf, outGradLambda, outGradGamma);
        if (outGradDt != null) {
            for (int k = 0; k < bins; k++) {
                if (fallback[k] && timeValid[k]) {
                    outGradDt[k] += gradPhase[k];
                }
            }
        }
    }

    /** w holds g_u on entry; solves A w = g_u in place, then chains to the parameters. */
    private void adjoint(double[] gDt, double[] gDf, double[] gLambda, double[] gGamma) {
        solver.solve(bins, diag, eRe, eIm, wRe, wIm, wRe, wIm);
        double scale = 1 + delta;
        for (int k = 0; k < bins; k++) {
            double wr = wRe[k];
            double wi = wIm[k];
            if (gDt != null) {
                // Im(w̄ a) = wr·aIm − wi·aRe
                gDt[k] = timeValid[k] ? -alpha[k] * (wr * aIm[k] - wi * aRe[k]) : 0;
            }
            if (gLambda != null) {
                if (timeValid[k]) {
                    double vr = aRe[k] - scale * uRe[k];
                    double vi = aIm[k] - scale * uIm[k];
                    gLambda[k] = mag2[k] * (wr * vr + wi * vi);
                } else {
                    gLambda[k] = 0;
                }
            }
        }
        if (gDf == null && gGamma == null) {
            return;
        }
        for (int k = 0; k + 1 < bins; k++) {
            if (!freqValid[k]) {
                if (gDf != null) {
                    gDf[k] = 0;
                }
                if (gGamma != null) {
                    gGamma[k] = 0;
                }
                continue;
            }
            double w0r = wRe[k];
            double w0i = wIm[k];
            double w1r = wRe[k + 1];
            double w1i = wIm[k + 1];
            double cr = cRe[k];
            double ci = cIm[k];
            // p = c_k u_k, q = c̄_k u_{k+1}
            double pr = cr * uRe[k] - ci * uIm[k];
            double pi = cr * uIm[k] + ci * uRe[k];
            double qr = cr * uRe[k + 1] + ci * uIm[k + 1];
            double qi = cr * uIm[k + 1] - ci * uRe[k + 1];
            // w̄1·p and w̄0·q
            double ar = w1r * pr + w1i * pi;
            double ai = w1r * pi - w1i * pr;
            double br = w0r * qr + w0i * qi;
            double bi = w0r * qi - w0i * qr;
            if (gDf != null) {
                gDf[k] = beta[k] * (bi - ai);
            }
            if (gGamma != null) {
                double self = w0r * uRe[k] + w0i * uIm[k] + w1r * uRe[k + 1] + w1i * uIm[k + 1];
                gGamma[k] = mag2[k + 1] * (ar + br - scale * self);
            }
        }
    }

    private void requireSolved() {
        if (!solved) {
            throw new IllegalStateException("no frame integrated yet: call integrate() first");
        }
    }

    private static void checkLength(String what, double[] a, int min) {
        if (a.length < min) {
            throw new IllegalArgumentException(what + " has " + a.length + " values, expected " + min);
        }
    }
}
