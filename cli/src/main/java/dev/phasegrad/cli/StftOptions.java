package dev.phasegrad.cli;

import dev.phasegrad.stft.StftConfig;
import picocli.CommandLine.Option;

/** STFT options shared by every command; defaults are the paper's Hann 1024 / hop 256 at 16 kHz. */
final class StftOptions {
    @Option(names = "--fft", paramLabel = "N", description = "FFT size in samples (default: ${DEFAULT-VALUE}).")
    int fft = StftConfig.DEFAULT.fftSize();

    @Option(names = "--hop", paramLabel = "H", description = "Hop size in samples (default: ${DEFAULT-VALUE}).")
    int hop = StftConfig.DEFAULT.hop();

    @Option(names = "--win", paramLabel = "L",
            description = "Hann window length in samples, <= FFT size (default: the FFT size).")
    Integer win;

    @Option(names = "--rate", paramLabel = "HZ",
            description = "Working sample rate; inputs are resampled to it (default: ${DEFAULT-VALUE}).")
    int rate = StftConfig.DEFAULT.sampleRate();

    StftConfig config() {
        return new StftConfig(fft, win == null ? fft : win, hop, rate);
    }
}
