package dev.phasegrad.cli;

import dev.phasegrad.audio.WavWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Audio written as it is produced: raw s16le / f32le, or a WAV whose header goes out first with the
 * streaming "size unknown" convention and is rewritten with the real sizes at the end when the
 * output is a seekable regular file. Every {@link #write} is flushed, so a player downstream of a
 * pipe gets each hop as soon as it exists. Allocation-free per write after construction.
 */
final class AudioOutput {
    enum Format {
        s16le,
        f32le,
        wav
    }

    private final OutputStream out;
    private final String name;
    private final boolean flushEach;
    private final FileChannel seekable;
    private final Format format;
    private final boolean float32;
    private final int sampleRate;
    private final byte[] bytes;
    private long headerPosition = -1;
    private long samples;
    private long clipped;

    /**
     * @param out        where the bytes go; not closed
     * @param name       how messages name the output (its path, or "stdout")
     * @param flushEach  flush after every write (a live stream), else only at {@link #finish}
     * @param seekable   the same file as a channel when it is a regular file (for the WAV header
     *                   rewrite), else null
     * @param wavFloat32 for {@link Format#wav}: IEEE float samples instead of 16-bit PCM
     * @param maxBlock   the most samples one {@link #write} passes
     */
    AudioOutput(
            OutputStream out,
            String name,
            boolean flushEach,
            FileChannel seekable,
            Format format,
            boolean wavFloat32,
            int sampleRate,
            int maxBlock) {
        this.out = out;
        this.name = name;
        this.flushEach = flushEach;
        this.seekable = seekable;
        this.format = format;
        this.float32 = format == Format.f32le || (format == Format.wav && wavFloat32);
        this.sampleRate = sampleRate;
        this.bytes = new byte[maxBlock * (float32 ? 4 : 2)];
    }

    /** Writes the WAV header (nothing for raw formats). */
    void begin() throws IOException {
        if (format != Format.wav) {
            return;
        }
        if (seekable != null) {
            try {
                headerPosition = seekable.position();
            } catch (IOException e) {
                headerPosition = -1;
            }
        }
        out.write(WavWriter.header(float32, sampleRate, -1));
        flush();
    }

    /** The most samples one {@link #write} takes (one hop). */
    int maxSamples() {
        return bytes.length / (float32 ? 4 : 2);
    }

    /** Encodes and writes {@code x[off .. off+len)}, then flushes; {@code len} at most {@link #maxSamples()}. */
    void write(float[] x, int off, int len) throws IOException {
        int k = 0;
        for (int i = off; i < off + len; i++) {
            float v = x[i];
            if (!Float.isFinite(v)) {
                throw new IOException(name + ": non-finite output sample " + (samples + i - off)
                        + " (the inversion overflowed); stopping");
            }
            if (float32) {
                int b = Float.floatToRawIntBits(v);
                bytes[k++] = (byte) b;
                bytes[k++] = (byte) (b >> 8);
                bytes[k++] = (byte) (b >> 16);
                bytes[k++] = (byte) (b >> 24);
            } else {
                // the same quantisation as WavWriter.writePcm16: round(x * 32768), clipped
                long q = Math.round(v * 32768.0);
                if (q > 32767) {
                    q = 32767;
                    clipped++;
                } else if (q < -32768) {
                    q = -32768;
                    clipped++;
                }
                bytes[k++] = (byte) q;
                bytes[k++] = (byte) (q >> 8);
            }
        }
        try {
            out.write(bytes, 0, k);
        } catch (IOException e) {
            throw new IOException(name + ": output failed after " + samples + " samples (" + e.getMessage() + ")", e);
        }
        samples += len;
        if (flushEach) {
            flush();
        }
    }

    private void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw new IOException(name + ": output failed after " + samples + " samples (" + e.getMessage() + ")", e);
        }
        // PrintStream (System.out redirected in-process) swallows write errors; surface them
        if (out instanceof PrintStream && ((PrintStream) out).checkError()) {
            throw new IOException(name + ": standard output was closed (broken pipe)");
        }
    }

    /** Writes {@code x[0 .. n)}, in as many calls of {@link #write} as its block size takes. */
    void writeAll(float[] x, int n) throws IOException {
        for (int from = 0; from < n; from += maxSamples()) {
            write(x, from, Math.min(maxSamples(), n - from));
        }
    }

    /**
     * Rewrites the WAV header with the final sizes when the output is a regular file we wrote from
     * {@link #begin}; a pipe keeps the streaming sizes.
     *
     * @return a warning to print, or null
     */
    String finish() throws IOException {
        flush();
        if (format != Format.wav || seekable == null || headerPosition < 0) {
            return null;
        }
        long expected = headerPosition + WavWriter.header(float32, sampleRate, 0).length + samples * (float32 ? 4 : 2);
        long size;
        try {
            size = seekable.size();
        } catch (IOException e) {
            return null;
        }
        if (size != expected) {
            // not a plain file we wrote alone (a device such as /dev/null, or another writer)
            return null;
        }
        try {
            seekable.write(ByteBuffer.wrap(WavWriter.header(float32, sampleRate, samples)), headerPosition);
        } catch (IOException e) {
            throw new IOException(name + ": cannot rewrite the WAV header (" + e.getMessage() + ")", e);
        }
        if (seekable.size() != size) {
            // opened for append (>>): the positional write went to the end instead; undo it
            seekable.truncate(size);
            return "warning: output opened for appending; the WAV header keeps the streaming sizes";
        }
        return null;
    }

    long samples() {
        return samples;
    }

    long clipped() {
        return clipped;
    }
}
