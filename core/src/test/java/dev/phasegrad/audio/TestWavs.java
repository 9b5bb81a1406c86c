package dev.phasegrad.audio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds WAV byte images by hand, independently of the code under test. */
final class TestWavs {
    private TestWavs() {}

    /** KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT GUID tail after the 2-byte format tag. */
    private static final byte[] GUID_TAIL = hex("000000001000800000aa00389b71");

    static byte[] riff(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(ascii("WAVE"));
        for (byte[] c : chunks) {
            body.writeBytes(c);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("RIFF"));
        out.writeBytes(le(body.size(), 4));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    static byte[] chunk(String id, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii(id));
        out.writeBytes(le(body.length, 4));
        out.writeBytes(body);
        if ((body.length & 1) != 0) {
            out.write(0);
        }
        return out.toByteArray();
    }

    /** Plain WAVEFORMAT / WAVEFORMATEX 'fmt ' chunk. */
    static byte[] fmt(int tag, int channels, int rate, int bits) {
        int align = channels * bits / 8;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(le(tag, 2));
        b.writeBytes(le(channels, 2));
        b.writeBytes(le(rate, 4));
        b.writeBytes(le((long) rate * align, 4));
        b.writeBytes(le(align, 2));
        b.writeBytes(le(bits, 2));
        return chunk("fmt ", b.toByteArray());
    }

    /** WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk with sub-format {@code subTag} (1 PCM, 3 float). */
    static byte[] fmtExtensible(int subTag, int channels, int rate, int bits, int validBits) {
        int align = channels * bits / 8;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(le(0xFFFE, 2));
        b.writeBytes(le(channels, 2));
        b.writeBytes(le(rate, 4));
        b.writeBytes(le((long) rate * align, 4));
        b.writeBytes(le(align, 2));
        b.writeBytes(le(bits, 2));
        b.writeBytes(le(22, 2));
        b.writeBytes(le(validBits, 2));
        b.writeBytes(le(channels == 1 ? 4 : (1L << channels) - 1, 4)); // speaker mask
        b.writeBytes(le(subTag, 2));
        b.writeBytes(GUID_TAIL);
        return chunk("fmt ", b.toByteArray());
    }

    static byte[] wav(int tag, int channels, int rate, int bits, byte[] data) {
        return riff(fmt(tag, channels, rate, bits), chunk("data", data));
    }

    /** Interleaved little-endian integers of {@code bytes} bytes each (two's complement). */
    static byte[] ints(int bytes, long... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (long v : values) {
            b.writeBytes(le(v, bytes));
        }
        return b.toByteArray();
    }

    static byte[] floats(float... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (float v : values) {
            b.writeBytes(le(Float.floatToRawIntBits(v) & 0xFFFFFFFFL, 4));
        }
        return b.toByteArray();
    }

    static byte[] doubles(double... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (double v : values) {
            b.writeBytes(le(Double.doubleToRawLongBits(v), 8));
        }
        return b.toByteArray();
    }

    static byte[] le(long v, int bytes) {
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = (byte) (v >> (8 * i));
        }
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
