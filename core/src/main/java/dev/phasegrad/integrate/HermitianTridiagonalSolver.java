package dev.phasegrad.integrate;

/**
 * Solves {@code A x = b} for a complex Hermitian positive definite tridiagonal matrix A of order n.
 *
 * <p>Storage (all arrays indexed from 0, only the first n or n − 1 entries are read):
 * <ul>
 *   <li>{@code diag[j]}, j = 0 … n−1: the real diagonal {@code A(j, j)};</li>
 *   <li>{@code eRe[j] + i·eIm[j]}, j = 0 … n−2: the sub-diagonal {@code A(j+1, j)}; Hermitian
 *       symmetry gives the super-diagonal {@code A(j, j+1) = conj(e[j])};</li>
 *   <li>{@code bRe + i·bIm}: right-hand side; {@code xRe + i·xIm}: solution.</li>
 * </ul>
 * Inputs are never modified; the solution arrays may be the right-hand-side arrays themselves
 * (in-place solve). Inputs must be finite.
 *
 * <p>Implementations own their work arrays, sized once for {@link #capacity()}: one instance per
 * thread, not thread safe, {@code solve} allocates nothing.
 */
public interface HermitianTridiagonalSolver {
    /** Short name for reports, e.g. {@code tridiagonal}. */
    String name();

    /** Largest order n this instance can solve. */
    int capacity();

    /**
     * Solves the system of order {@code n} (1 ≤ n ≤ capacity()).
     *
     * @throws IllegalArgumentException if n is out of range or the matrix is found not to be
     *                                  positive definite (naming the row)
     */
    void solve(
            int n, double[] diag, double[] eRe, double[] eIm, double[] bRe, double[] bIm, double[] xRe, double[] xIm);

    /** Shared argument check so every implementation reports the same message. */
    static void checkOrder(int n, int capacity) {
        if (n < 1 || n > capacity) {
            throw new IllegalArgumentException("system order must be in [1, " + capacity + "], got " + n);
        }
    }

    /** {@code y = A·v} for the matrix in this interface's storage; y must not alias v. Allocation-free. */
    static void multiply(
            int n, double[] diag, double[] eRe, double[] eIm, double[] vRe, double[] vIm, double[] yRe, double[] yIm) {
        for (int j = 0; j < n; j++) {
            double sr = diag[j] * vRe[j];
            double si = diag[j] * vIm[j];
            if (j > 0) {
                // A(j, j−1) = e[j−1]
                double er = eRe[j - 1];
                double ei = eIm[j - 1];
                sr += er * vRe[j - 1] - ei * vIm[j - 1];
                si += er * vIm[j - 1] + ei * vRe[j - 1];
            }
            if (j + 1 < n) {
                // A(j, j+1) = conj(e[j])
                double er = eRe[j];
                double ei = eIm[j];
                sr += er * vRe[j + 1] + ei * vIm[j + 1];
                si += er * vIm[j + 1] - ei * vRe[j + 1];
            }
            yRe[j] = sr;
            yIm[j] = si;
        }
    }

    /** ‖b − A·x‖₂ / ‖b‖₂ (or ‖A·x‖₂ when b = 0); allocates two scratch arrays, for tests and reports. */
    static double relativeResidual(
            int n, double[] diag, double[] eRe, double[] eIm, double[] bRe, double[] bIm, double[] xRe, double[] xIm) {
        double[] yRe = new double[n];
        double[] yIm = new double[n];
        multiply(n, diag, eRe, eIm, xRe, xIm, yRe, yIm);
        double num = 0;
        double den = 0;
        for (int j = 0; j < n; j++) {
            double dr = bRe[j] - yRe[j];
            double di = bIm[j] - yIm[j];
            num += dr * dr + di * di;
            den += bRe[j] * bRe[j] + bIm[j] * bIm[j];
        }
        return den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
    }
}
