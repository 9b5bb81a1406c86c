package dev.phasegrad.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Minimal RIFF/WAVE reader for the training corpus: PCM 16/24/32-bit or IEEE float 32-bit, any
 * channel count (mixed to mono), samples scaled to [−1, 1).
 */
final class WavReader {
    private WavReader() {
    }

    static final class Audio {
        final float[] samples;
        final int sampleRate;

        Audio(float[] samples, int sampleRate) {
            this.samples = samples;
            this.sampleRate = sampleRate;
        }
    }

    static Audio read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException(file + ": not a RIFF/WAVE file");
        }
        int pos = 12;
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (size < 0 || body + (long) size > b.limit()) {
                size = b.limit() - body;
            }
            if (id == 0x20746d66) { // "fmt "
                format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2) & 0xffff;
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14) & 0xffff;
                if (format == 0xFFFE && size >= 26) {
                    format = b.getShort(body + 24) & 0xffff;
                }
            } else if (id == 0x61746164) { // "data"
                if (format < 0) {
                    throw new IOException(file + ": data chunk before fmt chunk");
                }
                return new Audio(decode(file, b, body, size, format, channels, bits), rate);
            }
            pos = body + size + (size & 1);
        }
        throw new IOException(file + ": no data chunk");
    }

    private static float[] decode(Path file, ByteBuffer b, int start, int size, int format, int channels, int bits)
            throws IOException {
        if (channels < 1) {
            throw new IOException(file + ": channel count " + channels);
        }
        int bytes = bits / 8;
        if (!((format == 1 && (bits == 16 || bits == 24 || bits == 32)) || (format == 3 && bits == 32))) {
            throw new IOException(file + ": unsupported WAV encoding format " + format + " / " + bits + " bits");
        }
        int frames = size / (bytes * channels);
        float[] out = new float[frames];
        for (int i = 0; i < frames; i++) {
            double acc = 0;
            for (int c = 0; c < channels; c++) {
                int p = start + (i * channels + c) * bytes;
                double v;
                if (format == 3) {
                    v = b.getFloat(p);
                } else if (bits == 16) {
                    v = b.getShort(p) / 32768.0;
                } else if (bits == 24) {
                    int x = (b.get(p) & 0xff) | ((b.get(p + 1) & 0xff) << 8) | (b.get(p + 2) << 16);
                    v = x / 8388608.0;
                } else {
                    v = b.getInt(p) / 2147483648.0;
                }
                acc += v;
            }
            out[i] = (float) (acc / channels);
        }
        return out;
    }
}
