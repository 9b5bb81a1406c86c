package dev.phasegrad.train;

import java.util.Locale;

/**
 * Per-bin loss of a mel refiner on its log-magnitude output: ρ(δ − τ), δ the predicted correction,
 * τ the true one (true floored log-magnitude − NNLS floored log-magnitude), weighted per bin by
 * (true magnitude / the file's loudest bin)^weightPower and normalised by the batch's weight sum.
 * With weight power 2, {@link #L2} approximates the squared spectral convergence of the linear
 * magnitude for small errors ((r − m)² ≈ m²·(ln r − ln m)²).
 */
public enum MagnitudeLoss {
    /** ρ(e) = |e|. */
    L1,
    /** ρ(e) = e². */
    L2;

    /** ρ(e). */
    double value(double e) {
        return this == L1 ? Math.abs(e) : e * e;
    }

    /** dρ/de. */
    float slope(float e) {
        return this == L1 ? Math.signum(e) : 2f * e;
    }

    public static MagnitudeLoss parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "l1" -> L1;
            case "l2" -> L2;
            default -> throw new IllegalArgumentException("magnitude loss must be l1 or l2, got '" + name + "'");
        };
    }
}
