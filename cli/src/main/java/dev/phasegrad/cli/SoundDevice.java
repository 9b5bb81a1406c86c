package dev.phasegrad.cli;

import java.io.IOException;
import java.io.OutputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

/**
 * The default sound output as a byte stream of 16-bit little-endian mono PCM: the only class that
 * touches javax.sound playback, so the rest of the CLI (and the core, which must not need
 * java.desktop) stays free of it.
 */
final class SoundDevice extends OutputStream {
    private final SourceDataLine line;

    private SoundDevice(SourceDataLine line) {
        this.line = line;
    }

    /**
     * Opens the default output line at {@code sampleRate}.
     *
     * @throws Cli.UserError with one line when there is no usable sound device
     */
    static SoundDevice open(int sampleRate) {
        AudioFormat format = new AudioFormat(sampleRate, 16, 1, true, false);
        try {
            SourceDataLine line = AudioSystem.getSourceDataLine(format);
            // a quarter second of buffer: enough to ride out scheduling jitter, little added latency
            line.open(format, Math.max(4096, sampleRate / 2));
            line.start();
            return new SoundDevice(line);
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            throw new Cli.UserError("no sound device to play on ("
                    + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); drop --play and pipe the output"
                    + " to a player, e.g. | aplay -f S16_LE -r " + sampleRate);
        }
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        line.write(b, off, len);
    }

    /** Plays what is queued, then releases the device. */
    @Override
    public void close() throws IOException {
        line.drain();
        line.close();
    }
}
