package dev.phasegrad.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes WAV (RIFF/WAVE), AIFF/AIFF-C and Sun AU audio into mono samples, with java.base only, so
 * that reading audio does not need the {@code java.desktop} module. It has two halves, used by
 * {@link AudioStream} (and through it by every reader of {@link Audio}): {@link #layout} parses a
 * bounded header prefix ({@link #readHeader}) into where the samples are and how they are stored,
 * and {@link #toMono} converts a block of those samples.
 *
 * <p>The samples are those the JDK's sampled-audio readers produced for every encoding they decoded,
 * bit for bit: integer samples scaled by 2^(bits−1) of their whole container, 8-bit WAV unsigned
 * (centred on 128), A-law and μ-law expanded to 16 bits by ITU-T G.711 first, float samples as they
 * are, channels averaged. WAV samples of fewer than 8 bits are unsigned too, as the format defines
 * them (the JDK read them as signed).
 */
final class AudioDecoder {
    private AudioDecoder() {}

    /** Header bytes held at most (the chunks before a WAV's 'data' or an AIFF's 'SSND' chunk). */
    static final int MAX_HEADER_MB = 16;

    private static final int MAX_HEADER = MAX_HEADER_MB << 20;
    /** Bytes looked at to name what an input that is not readable audio actually is. */
    private static final int PROBE = 64 << 10;

    enum Kind {
        SIGNED,
        UNSIGNED,
        FLOAT,
        ALAW,
        ULAW
    }

    /**
     * Where the samples are and how they are stored. {@code offset} counts from the start of the file;
     * {@code frames} is -1 when neither the header nor the file's length says (a WAV or AU written to a
     * pipe, read from a pipe: the samples run to the end). {@code riff} is the WAV's chunk walk, else null.
     */
    record Layout(
            long offset,
            long frames,
            int channels,
            int bytesPerSample,
            Kind kind,
            boolean bigEndian,
            int rate,
            RiffProbe.Header riff) {
        int frameSize() {
            return channels * bytesPerSample;
        }
    }

    private static final short[] ULAW = new short[256];
    private static final short[] ALAW = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW[i] = (short) ulaw(i);
            ALAW[i] = (short) alaw(i);
        }
    }

    /** G.711 μ-law code to 16-bit linear. */
    private static int ulaw(int code) {
        int u = ~code & 0xFF;
        int t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
        return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
    }

    /** G.711 A-law code to 16-bit linear. */
    private static int alaw(int code) {
        int a = code ^ 0x55;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        if (seg == 0) {
            t += 8;
        } else {
            t = (t + 0x108) << (seg - 1);
        }
        return (a & 0x80) != 0 ? t : -t;
    }

    private static boolean isAiff(byte[] b) {
        return b.length >= 12
                && RiffProbe.startsWith(b, 0, "FORM")
                && (RiffProbe.startsWith(b, 8, "AIFF") || RiffProbe.startsWith(b, 8, "AIFC"));
    }

    /**
     * Parses the header of an audio file.
     *
     * @param b     the file's first bytes as {@link #readHeader} returns them (or the whole file): at least
     *              everything before the samples of a WAV or AIFF, and the 24-byte header of an AU
     * @param total the file's length in bytes; -1 when unknown (a pipe), and then truncation is left to
     *              the reader of the samples
     * @throws InputFileException naming the problem when the file is not audio that can be read
     */
    static Layout layout(byte[] b, long total, String name) throws InputFileException {
        if (b.length == 0) {
            throw new InputFileException(name, "empty file (0 bytes)");
        }
        if (RiffProbe.isRiffWave(b)) {
            return wav(b, total, name);
        } else if (isAiff(b)) {
            return aiff(b, total, name);
        } else if (RiffProbe.startsWith(b, 0, ".snd")) {
            return au(b, total, name);
        }
        throw new InputFileException(name, RiffProbe.problem(b));
    }

    /**
     * Reads the header prefix {@link #layout} needs, and no sample: for WAV every chunk up to and including
     * the 'data' chunk's 8-byte header, for AIFF every chunk up to the 'SSND' chunk's header and its 8-byte
     * offset and block size, for AU its 24-byte header; else the first {@value #PROBE} bytes, to name what
     * the input is. Less at the end of the input. Holds at most {@value #MAX_HEADER_MB} MB.
     */
    static byte[] readHeader(InputStream in, String name) throws InputFileException {
        ByteArrayOutputStream prefix = new ByteArrayOutputStream();
        byte[] head = new byte[12];
        int n = readFully(in, head, 12, name);
        prefix.write(head, 0, n);
        byte[] got = prefix.toByteArray();
        boolean wave = RiffProbe.isRiffWave(got);
        boolean aiff = isAiff(got);
        if (!wave && !aiff) {
            int want = RiffProbe.startsWith(got, 0, ".snd") ? 24 : PROBE;
            if (n == 12) {
                byte[] more = new byte[want - 12];
                prefix.write(more, 0, readFully(in, more, more.length, name));
            }
            return prefix.toByteArray();
        }
        String samples = wave ? "data" : "SSND";
        byte[] chunk = new byte[8];
        byte[] body = new byte[8192];
        while (true) {
            int r = readFully(in, chunk, 8, name);
            prefix.write(chunk, 0, r);
            if (r < 8) {
                return prefix.toByteArray();
            }
            if (RiffProbe.startsWith(chunk, 0, samples)) {
                if (aiff) {
                    // the SSND chunk's offset and block size
                    prefix.write(body, 0, readFully(in, body, 8, name));
                }
                return prefix.toByteArray();
            }
            long size = wave
                    ? (chunk[4] & 0xFFL) | (chunk[5] & 0xFFL) << 8 | (chunk[6] & 0xFFL) << 16 | (chunk[7] & 0xFFL) << 24
                    : u32be(chunk, 4);
            long left = size + (size & 1);
            while (left > 0) {
                if (prefix.size() >= MAX_HEADER) {
                    throw new InputFileException(
                            name,
                            "the chunks before the '" + samples + "' chunk take more than "
                                    + MAX_HEADER_MB + " MB (not " + (wave ? "a WAV" : "an AIFF")
                                    + " file phasegrad can read)");
                }
                int k = readFully(
                        in, body, (int) Math.min(body.length, Math.min(left, MAX_HEADER - prefix.size())), name);
                prefix.write(body, 0, k);
                if (k == 0) {
                    return prefix.toByteArray();
                }
                left -= k;
            }
        }
    }

    private static int readFully(InputStream in, byte[] b, int len, String name) throws InputFileException {
        try {
            return in.readNBytes(b, 0, len);
        } catch (IOException e) {
            throw new InputFileException(name, "read failed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** The message for samples that end before the header's count: {@code held} whole frames were there. */
    static String truncation(Layout l, long held) {
        if (l.riff() != null) {
            return RiffProbe.truncation(l.riff().withDataAvailable(held * l.frameSize()));
        }
        return "truncated: header declares " + l.frames() + " sample frames, file holds " + held;
    }

    /** Why a file ended without a single sample. */
    static String noSamples(Layout l) {
        RiffProbe.Header h = l.riff();
        if (h != null && h.dataSize() == 0 && h.dataAvailable() > 0) {
            return "'data' chunk declares 0 bytes but " + h.dataAvailable() + " bytes follow (unfinished write?)";
        }
        return "contains no audio samples";
    }

    // ------------------------------------------------------------------------------------------ WAV

    private static Layout wav(byte[] b, long total, String name) throws InputFileException {
        RiffProbe.Header h = RiffProbe.scan(b, total);
        if (h.haveFmt()) {
            // An unsupported encoding explains more than anything that follows it.
            String problem = RiffProbe.fmtProblem(h);
            if (problem != null) {
                throw new InputFileException(name, problem);
            }
        }
        if (h.structuralProblem() != null) {
            throw new InputFileException(name, h.structuralProblem());
        }
        int channels = h.channels();
        int bytesPerSample = (h.bits() + 7) / 8;
        int frameSize = channels * bytesPerSample;
        // A padded frame (nBlockAlign larger than the samples) would otherwise be decoded as garbage.
        if (h.blockAlign() != 0 && h.blockAlign() != frameSize) {
            throw new InputFileException(
                    name,
                    "malformed 'fmt ' chunk: block align " + h.blockAlign() + " bytes, but " + channels
                            + " channel(s) of " + h.bits() + " bits need " + frameSize);
        }
        int rate = rate(h.rate(), name);
        if (h.truncated()) {
            throw new InputFileException(name, RiffProbe.truncation(h));
        }
        // ffmpeg writing to a pipe leaves the size unknown: the samples run to the end of the file
        // (unknown until then when the file is a pipe too).
        long bytes = h.dataSizeUnknown() ? h.dataAvailable() : h.dataSize();
        long frames = bytes < 0 ? -1 : bytes / frameSize;
        Kind kind;
        switch (h.tag()) {
            case 3:
                kind = Kind.FLOAT;
                break;
            case 6:
                kind = Kind.ALAW;
                break;
            case 7:
                kind = Kind.ULAW;
                break;
            default:
                kind = bytesPerSample == 1 ? Kind.UNSIGNED : Kind.SIGNED;
        }
        Layout layout = new Layout(h.dataOffset(), frames, channels, bytesPerSample, kind, false, rate, h);
        if (frames == 0) {
            throw new InputFileException(name, noSamples(layout));
        }
        return layout;
    }

    // ----------------------------------------------------------------------------------------- AIFF

    private static Layout aiff(byte[] b, long total, String name) throws InputFileException {
        boolean aifc = RiffProbe.startsWith(b, 8, "AIFC");
        int n = b.length;
        long pos = 12;
        int channels = -1;
        long declaredFrames = 0;
        int bits = 0;
        double rate = 0;
        Kind kind = Kind.SIGNED;
        boolean littleEndian = false;
        while (pos + 8 <= n) {
            int p = (int) pos;
            String id = RiffProbe.ascii(b, p, 4);
            long size = u32be(b, p + 4);
            int body = p + 8;
            if ("COMM".equals(id)) {
                int need = aifc ? 22 : 18;
                if (size < need || body + need > n) {
                    throw new InputFileException(name, "malformed AIFF 'COMM' chunk");
                }
                channels = u16be(b, body);
                declaredFrames = u32be(b, body + 2);
                bits = u16be(b, body + 6);
                rate = extended(b, body + 8);
                if (aifc) {
                    String compression = RiffProbe.ascii(b, body + 18, 4);
                    switch (compression) {
                        case "NONE":
                        case "twos":
                            break;
                        case "sowt":
                            littleEndian = true;
                            break;
                        case "fl32":
                        case "FL32":
                            kind = Kind.FLOAT;
                            bits = 32;
                            break;
                        case "fl64":
                        case "FL64":
                            kind = Kind.FLOAT;
                            bits = 64;
                            break;
                        case "ulaw":
                        case "ULAW":
                            kind = Kind.ULAW;
                            bits = 8;
                            break;
                        case "alaw":
                        case "ALAW":
                            kind = Kind.ALAW;
                            bits = 8;
                            break;
                        default:
                            throw new InputFileException(name, "unsupported AIFF-C compression '" + compression + "'");
                    }
                }
            } else if ("SSND".equals(id)) {
                if (channels < 0) {
                    throw new InputFileException(name, "no AIFF 'COMM' chunk before the 'SSND' chunk");
                }
                if (body + 8 > n) {
                    throw new InputFileException(name, "truncated AIFF header (file ends inside the 'SSND' chunk)");
                }
                long start = body + 8 + u32be(b, body);
                if (channels == 0) {
                    throw new InputFileException(name, "AIFF 'COMM' chunk declares 0 channels");
                }
                if (bits < 1 || bits > 32 && kind != Kind.FLOAT) {
                    throw new InputFileException(
                            name, "unsupported PCM sample size " + bits + " bits (up to 32 are read)");
                }
                int bytesPerSample = (bits + 7) / 8;
                int frameSize = channels * bytesPerSample;
                // Like the JDK's reader, trust the frame count of 'COMM' over the size of 'SSND', which
                // streaming writers leave unset.
                long available = Math.max(0, total - start);
                long frames = available / frameSize;
                if (total >= 0 && frames < declaredFrames) {
                    throw new InputFileException(
                            name,
                            "truncated: header declares " + declaredFrames + " sample frames, file holds " + frames);
                }
                if (declaredFrames == 0) {
                    throw new InputFileException(name, "contains no audio samples");
                }
                return new Layout(
                        start, declaredFrames, channels, bytesPerSample, kind, !littleEndian, rate(rate, name), null);
            }
            pos = body + size + (size & 1);
        }
        throw new InputFileException(
                name,
                channels < 0
                        ? "unsupported or malformed AIFF file (no 'COMM' chunk)"
                        : "no AIFF 'SSND' chunk (file truncated?)");
    }

    /** An 80-bit IEEE 754 extended-precision number (AIFF's sample rate), as a double. */
    private static double extended(byte[] b, int off) {
        int exponent = u16be(b, off) & 0x7FFF;
        long mantissa = 0;
        for (int i = 0; i < 8; i++) {
            mantissa = (mantissa << 8) | (b[off + 2 + i] & 0xFF);
        }
        if (exponent == 0 && mantissa == 0) {
            return 0;
        }
        if (exponent == 0x7FFF) {
            return Double.POSITIVE_INFINITY;
        }
        // the mantissa is unsigned with its integer bit explicit: value = mantissa · 2^(exponent − 16383 − 63)
        double m = (mantissa >>> 1) * 2.0 + (mantissa & 1);
        double v = Math.scalb(m, exponent - 16383 - 63);
        return (b[off] & 0x80) != 0 ? -v : v;
    }

    // ------------------------------------------------------------------------------------------- AU

    private static Layout au(byte[] b, long total, String name) throws InputFileException {
        int n = b.length;
        if (n < 24) {
            throw new InputFileException(name, "truncated AU header (file is only " + n + " bytes)");
        }
        long offset = u32be(b, 4);
        long size = u32be(b, 8);
        long encoding = u32be(b, 12);
        long rate = u32be(b, 16);
        long channels = u32be(b, 20);
        Kind kind;
        int bytesPerSample;
        if (encoding == 1) {
            kind = Kind.ULAW;
            bytesPerSample = 1;
        } else if (encoding == 27) {
            kind = Kind.ALAW;
            bytesPerSample = 1;
        } else if (encoding >= 2 && encoding <= 5) {
            kind = Kind.SIGNED;
            bytesPerSample = (int) encoding - 1;
        } else if (encoding == 6 || encoding == 7) {
            kind = Kind.FLOAT;
            bytesPerSample = encoding == 6 ? 4 : 8;
        } else {
            throw new InputFileException(name, "unsupported AU encoding " + encoding);
        }
        if (channels < 1 || channels > 0xFFFF) {
            throw new InputFileException(name, "AU header declares " + channels + " channels");
        }
        // (a pipe's length is unknown: then an offset beyond its end leaves no samples to read)
        if (offset < 24 || total >= 0 && offset > total) {
            throw new InputFileException(name, "malformed AU header (data offset " + offset + ")");
        }
        int frameSize = (int) channels * bytesPerSample;
        long available = total < 0 ? -1 : total - offset;
        boolean unknown = size == 0xFFFFFFFFL;
        if (!unknown && total >= 0 && size > available) {
            throw new InputFileException(
                    name,
                    "truncated: header declares " + size / frameSize + " sample frames, file holds "
                            + available / frameSize);
        }
        long bytes = unknown ? available : size;
        long frames = bytes < 0 ? -1 : bytes / frameSize;
        if (frames == 0) {
            throw new InputFileException(name, "contains no audio samples");
        }
        return new Layout(offset, frames, (int) channels, bytesPerSample, kind, true, rate(rate, name), null);
    }

    // ------------------------------------------------------------------------------------------

    private static int rate(double rate, String name) throws InputFileException {
        if (!(rate >= 1) || rate > Integer.MAX_VALUE || rate != Math.rint(rate)) {
            throw new InputFileException(
                    name,
                    "invalid sample rate "
                            + (rate == Math.rint(rate) && rate < 1e18
                                    ? Long.toString((long) rate)
                                    : Double.toString(rate))
                            + " Hz");
        }
        return (int) rate;
    }

    /**
     * Converts {@code frames} whole sample frames of {@code data}, from its start, to mono samples in
     * {@code out[off ..]}. Allocates nothing.
     *
     * @param first the index of the first of them in the file, for messages
     * @throws InputFileException on a float sample that is not finite, or a mono float64 sample beyond
     *                            the float32 range, naming its frame
     */
    static void toMono(byte[] data, int frames, Layout l, float[] out, int off, long first, String name)
            throws InputFileException {
        int channels = l.channels();
        int bps = l.bytesPerSample();
        Kind kind = l.kind();
        boolean bigEndian = l.bigEndian();
        // Integer containers are scaled by their full width so that a 20-bit-valid sample in a
        // 24-bit container still lands in [-1, 1); companded samples are 16-bit once expanded.
        double scale = kind == Kind.ALAW || kind == Kind.ULAW ? 1.0 / 32768 : 1.0 / (1L << (8 * bps - 1));
        long offset = kind == Kind.UNSIGNED ? (1L << (8 * bps - 1)) : 0;
        double inv = 1.0 / channels;
        int pos = 0;
        for (int t = 0; t < frames; t++) {
            // Start mono from -0.0 so that a lone channel passes through bit for bit (0.0 + -0.0 = 0.0).
            double sum = channels == 1 ? -0.0 : 0.0;
            for (int c = 0; c < channels; c++, pos += bps) {
                long raw = bigEndian ? readBe(data, pos, bps) : readLe(data, pos, bps);
                double v;
                switch (kind) {
                    case SIGNED:
                        v = signExtend(raw, bps) * scale;
                        break;
                    case UNSIGNED:
                        v = (raw - offset) * scale;
                        break;
                    case ULAW:
                        v = ULAW[(int) raw] * scale;
                        break;
                    case ALAW:
                        v = ALAW[(int) raw] * scale;
                        break;
                    default:
                        v = bps == 4 ? Float.intBitsToFloat((int) raw) : Double.longBitsToDouble(raw);
                        if (!Double.isFinite(v)) {
                            throw new InputFileException(
                                    name,
                                    (Double.isNaN(v) ? "NaN" : "infinite") + " sample at frame " + (first + t)
                                            + (channels > 1 ? ", channel " + c : ""));
                        }
                }
                sum += v;
            }
            float mono = (float) (sum * inv);
            if (!Float.isFinite(mono)) {
                // float64 samples beyond the float32 range
                throw new InputFileException(
                        name, "sample " + sum * inv + " at frame " + (first + t) + " exceeds the float32 range");
            }
            out[off + t] = mono;
        }
    }

    private static long readLe(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static long readBe(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static long signExtend(long raw, int bytes) {
        int shift = 64 - 8 * bytes;
        return (raw << shift) >> shift;
    }

    private static int u16be(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    private static long u32be(byte[] b, int off) {
        return (b[off] & 0xFFL) << 24 | (b[off + 1] & 0xFFL) << 16 | (b[off + 2] & 0xFFL) << 8 | (b[off + 3] & 0xFFL);
    }
}
