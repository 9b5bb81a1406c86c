package dev.phasegrad.cli;

import dev.phasegrad.stft.StftConfig;
import picocli.CommandLine.Option;

/** STFT options shared by every command; defaults are the paper's Hann 1024 / hop 256 at 16 kHz. */
final class StftOptions {
    @Option(names = "--fft", paramLabel = "N", description = "FFT size in samples (default: ${DEFAULT-VALUE}).")
    int fft = StftConfig.DEFAULT.fftSize();

    @Option(names = "--hop", paramLabel = "H", description = "Hop size in samples (default: ${DEFAULT-VALUE}).")
    int hop = StftConfig.DEFAULT.hop();

    @Option(
            names = "--win",
            paramLabel = "L",
            description = "Hann window length in samples, <= FFT size (default: the FFT size).")
    Integer win;

    @Option(
            names = "--rate",
            paramLabel = "HZ",
            description = "Working sample rate; inputs are resampled to it (default: ${DEFAULT-VALUE}).")
    int rate = StftConfig.DEFAULT.sampleRate();

    /** The largest FFT size accepted: 4 s at 16 kHz, far past any use, and small enough that nothing is huge. */
    static final int MAX_FFT = 65536;
    /** The highest working rate accepted (the highest common audio rate). */
    static final int MAX_RATE = 768_000;

    StftConfig config() {
        if (fft < 4 || fft > MAX_FFT || (fft & 1) != 0) {
            throw new Cli.UserError("--fft must be an even number from 4 to " + MAX_FFT + ", got " + fft);
        }
        if (rate < 1 || rate > MAX_RATE) {
            throw new Cli.UserError("--rate must be from 1 to " + MAX_RATE + " Hz, got " + rate);
        }
        try {
            return new StftConfig(fft, win == null ? fft : win, hop, rate);
        } catch (IllegalArgumentException e) {
            throw new Cli.UserError(e.getMessage());
        }
    }
}
