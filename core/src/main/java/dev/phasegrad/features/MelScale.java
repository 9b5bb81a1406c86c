package dev.phasegrad.features;

/**
 * The two mel scales in use, as librosa and torchaudio define them.
 *
 * <ul>
 *   <li>{@link #SLANEY} (librosa's default, Auditory Toolbox): linear below 1 kHz, 3 mel per
 *       200 Hz, then logarithmic with 27 mel per factor 6.4.</li>
 *   <li>{@link #HTK} (torchaudio's default): {@code 2595 log10(1 + f/700)}.</li>
 * </ul>
 */
public enum MelScale {
    /** librosa's default (Auditory Toolbox): linear below 1 kHz, then logarithmic. */
    SLANEY {
        @Override
        public double hzToMel(double hz) {
            return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
        }

        @Override
        public double melToHz(double mel) {
            return mel < MIN_LOG_MEL ? mel * F_SP : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
        }
    },
    /** torchaudio's default: {@code 2595 log10(1 + f/700)}. */
    HTK {
        @Override
        public double hzToMel(double hz) {
            return 2595.0 * Math.log10(1.0 + hz / 700.0);
        }

        @Override
        public double melToHz(double mel) {
            return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
        }
    };

    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOG_STEP = Math.log(6.4) / 27.0;

    /**
     * @param hz a frequency in Hz
     * @return its mel value
     */
    public abstract double hzToMel(double hz);

    /**
     * @param mel a mel value
     * @return its frequency in Hz
     */
    public abstract double melToHz(double mel);
}
