package dev.phasegrad.cli;

import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import java.io.IOException;
import java.util.Arrays;

/**
 * The log-mel frames of a signal that arrives in blocks: bit for bit the frames
 * {@link LogMelAnalysis#logMel} gives for the whole signal. A frame is cut as soon as every sample it
 * spans has arrived; the last frames, whose reflect padding mirrors the signal's last samples, when
 * {@link #finish} says where the signal ends. Holds two frames' worth of samples plus one block;
 * allocates nothing per frame. Not thread safe.
 */
final class FeatureFrames {
    /** Receives each frame's features (the array is reused). */
    interface Sink {
        void frame(float[] features) throws IOException;
    }

    private final FeatureSpec spec;
    private final LogMelAnalysis analysis;
    private final int size;
    private final int hop;
    private final int pad;
    private final double[] raw;
    private final float[] features;
    private float[] buffer;
    /** Signal index of buffer[0], samples held from there, samples seen, the next frame's index. */
    private long bufferStart;

    private int held;
    private long length;
    private long next;
    private long total = -1;

    FeatureFrames(FeatureSpec spec) {
        this.spec = spec;
        this.analysis = new LogMelAnalysis(spec);
        this.size = spec.fftSize();
        this.hop = spec.hop();
        this.pad = spec.padding();
        this.raw = new double[size];
        this.features = new float[spec.bands()];
        this.buffer = new float[3 * size + 8192];
    }

    /** Frames of a signal of {@code n} samples: {@link FeatureSpec#frameCount} for any length. */
    long frameCount(long n) {
        long padded = n + 2L * pad;
        return padded < size ? 0 : 1 + (padded - size) / hop;
    }

    /** Takes {@code x[off .. off + len)} and hands {@code sink} the frames they complete. */
    void push(float[] x, int off, int len, Sink sink) throws IOException {
        int done = 0;
        while (done < len) {
            compact();
            int take = Math.min(len - done, buffer.length - held);
            System.arraycopy(x, off + done, buffer, held, take);
            held += take;
            done += take;
            length += take;
            while (true) {
                long start = next * hop - pad;
                if (start + size > length || -start >= length) {
                    break;
                }
                emit(start, sink);
            }
        }
    }

    /**
     * Ends the signal: the remaining frames, with the end's padding.
     *
     * @return the signal's length in samples
     * @throws Cli.UserError if the signal is too short for one frame (nothing was handed out then)
     */
    long finish(String name, Sink sink) throws IOException {
        total = length;
        if (frameCount(total) == 0 || (spec.reflectPadding() && total <= pad)) {
            throw new Cli.UserError(name + ": " + total + " samples is too short for one " + spec.name() + " frame");
        }
        for (long frames = frameCount(total); next < frames; ) {
            emit(next * hop - pad, sink);
        }
        return total;
    }

    private void emit(long start, Sink sink) throws IOException {
        for (int i = 0; i < size; i++) {
            raw[i] = sample(start + i);
        }
        analysis.logMelFrame(raw, features);
        next++;
        sink.frame(features);
    }

    /** Sample j of the padded signal, as LogMelAnalysis reads it (numpy "reflect": the edge not repeated). */
    private double sample(long j) {
        long len = total >= 0 ? total : Long.MAX_VALUE;
        if (j >= 0 && j < len) {
            return buffer[(int) (j - bufferStart)];
        }
        if (!spec.reflectPadding()) {
            return 0;
        }
        long m = j < 0 ? -j : 2 * (len - 1) - j;
        return m >= 0 && m < len ? buffer[(int) (m - bufferStart)] : 0;
    }

    /** Drops samples no pending frame reads (a frame's reflection reaches back less than a frame). */
    private void compact() {
        if (held < buffer.length) {
            return;
        }
        long keepFrom = Math.max(bufferStart, Math.min(length, next * hop - pad - size));
        int drop = (int) (keepFrom - bufferStart);
        if (drop == 0) {
            buffer = Arrays.copyOf(buffer, 2 * buffer.length);
            return;
        }
        System.arraycopy(buffer, drop, buffer, 0, held - drop);
        held -= drop;
        bufferStart = keepFrom;
    }
}
