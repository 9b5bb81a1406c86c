package dev.phasegrad.stft;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Real FFT of one even size, unpacked into separate real / imaginary arrays of n/2+1 bins.
 *
 * <p>Forward: {@code X[k] = Σ x[n] e^{-2πikn/N}} (no scaling). Inverse:
 * {@code x[n] = (1/N) Σ X[k] e^{+2πikn/N}} over the Hermitian-extended spectrum, so
 * {@code inverse(forward(x)) == x}. Not thread safe: holds one work buffer; use one per thread.
 */
public final class RealFft {
    private final int n;
    private final DoubleFFT_1D fft;
    private final double[] work;

    /**
     * @param n transform size, even and at least 2
     * @throws IllegalArgumentException for another size
     */
    public RealFft(int n) {
        if (n < 2 || (n & 1) != 0) {
            throw new IllegalArgumentException("FFT size must be even and >= 2, got " + n);
        }
        this.n = n;
        this.fft = new DoubleFFT_1D(n);
        this.work = new double[n];
    }

    /** {@return the transform size n} */
    public int size() {
        return n;
    }

    /** {@return the number of bins, n/2 + 1} */
    public int bins() {
        return n / 2 + 1;
    }

    /**
     * Transforms {@code x[0..n)} (left untouched) into {@code re, im[0..n/2]}.
     *
     * @param x  the signal
     * @param re receives the real parts
     * @param im receives the imaginary parts
     */
    public void forward(double[] x, double[] re, double[] im) {
        System.arraycopy(x, 0, work, 0, n);
        fft.realForward(work);
        unpack(re, im);
    }

    /**
     * Same as {@link #forward(double[], double[], double[])} with float spectra.
     *
     * @param x  the signal
     * @param re receives the real parts
     * @param im receives the imaginary parts
     */
    public void forward(double[] x, float[] re, float[] im) {
        System.arraycopy(x, 0, work, 0, n);
        fft.realForward(work);
        int half = n / 2;
        re[0] = (float) work[0];
        im[0] = 0f;
        re[half] = (float) work[1];
        im[half] = 0f;
        for (int k = 1; k < half; k++) {
            re[k] = (float) work[2 * k];
            im[k] = (float) work[2 * k + 1];
        }
    }

    /**
     * Inverse of {@link #forward}: spectrum of n/2+1 bins into {@code out[0..n)}. Imag parts of DC and Nyquist are ignored.
     *
     * @param re  real parts
     * @param im  imaginary parts
     * @param out receives the signal
     */
    public void inverse(double[] re, double[] im, double[] out) {
        int half = n / 2;
        out[0] = re[0];
        out[1] = re[half];
        for (int k = 1; k < half; k++) {
            out[2 * k] = re[k];
            out[2 * k + 1] = im[k];
        }
        fft.realInverse(out, true);
    }

    /**
     * Float-spectrum variant of {@link #inverse(double[], double[], double[])}.
     *
     * @param re  real parts
     * @param im  imaginary parts
     * @param out receives the signal
     */
    public void inverse(float[] re, float[] im, double[] out) {
        int half = n / 2;
        out[0] = re[0];
        out[1] = re[half];
        for (int k = 1; k < half; k++) {
            out[2 * k] = re[k];
            out[2 * k + 1] = im[k];
        }
        fft.realInverse(out, true);
    }

    private void unpack(double[] re, double[] im) {
        int half = n / 2;
        re[0] = work[0];
        im[0] = 0;
        re[half] = work[1];
        im[half] = 0;
        for (int k = 1; k < half; k++) {
            re[k] = work[2 * k];
            im[k] = work[2 * k + 1];
        }
    }
}
