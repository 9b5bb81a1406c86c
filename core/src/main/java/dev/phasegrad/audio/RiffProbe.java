package dev.phasegrad.audio;

/**
 * Reads the header of a RIFF/WAVE file (the chunk walk up to the 'data' chunk, of a whole file or of
 * the header prefix {@link AudioDecoder#readHeader} reads) for {@link AudioDecoder},
 * and names what a file that is not readable audio actually is, for the error message.
 */
final class RiffProbe {
    /** KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT GUIDs after their leading 2-byte format tag. */
    private static final byte[] GUID_TAIL = {
        0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71
    };

    private RiffProbe() {}

    /** What a file that is neither WAV, AIFF nor AU looks like, as the problem half of an error message. */
    static String problem(byte[] b) {
        int n = b.length;
        if (n == 0) {
            return "empty file (0 bytes)";
        }
        if (startsWith(b, 0, "RIFF")) {
            if (n < 12) {
                return "truncated WAV header (file is only " + n + " bytes)";
            }
            return "RIFF file of form '" + ascii(b, 8, 4) + "', not WAVE";
        }
        if (startsWith(b, 0, "RF64") || startsWith(b, 0, "BW64")) {
            return "RF64/BW64 (64-bit WAV) is not supported; convert to plain WAV";
        }
        if (startsWith(b, 0, "RIFX")) {
            return "big-endian RIFX WAV is not supported";
        }
        if (startsWith(b, 0, "ID3") || (n >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0)) {
            return "not a WAV file (looks like MP3)";
        }
        if (startsWith(b, 0, "fLaC")) {
            return "not a WAV file (looks like FLAC)";
        }
        if (startsWith(b, 0, "OggS")) {
            return "not a WAV file (looks like Ogg)";
        }
        if (n >= 8 && startsWith(b, 4, "ftyp")) {
            return "not a WAV file (looks like MP4/M4A)";
        }
        if (startsWith(b, 0, "FORM")) {
            return "unsupported or malformed AIFF file";
        }
        if (looksLikeText(b)) {
            return "not a WAV file (looks like text)";
        }
        return "not a WAV file (no RIFF/WAVE header)";
    }

    /**
     * What the chunk walk of a RIFF/WAVE file found; sizes in bytes, -1 where absent. {@code tag} is the
     * format tag, for WAVE_FORMAT_EXTENSIBLE the one of its PCM or IEEE float sub-format GUID
     * (0xFFFE stays when the sub-format is another one); {@code dataOffset} is where the samples start.
     */
    record Header(
            String structuralProblem,
            boolean haveFmt,
            int tag,
            int channels,
            long rate,
            int blockAlign,
            int bits,
            long dataSize,
            long dataAvailable,
            int dataOffset) {

        /** ffmpeg and others writing to a pipe leave 0xFFFFFFFF ("unknown, read to the end"). */
        boolean dataSizeUnknown() {
            return dataSize == 0xFFFFFFFFL;
        }

        /** The file holds fewer data bytes than the 'data' chunk declares (false while that is unknown). */
        /**
         * Whether whole sample frames the 'data' chunk declares are missing. Counted in frames, as a
         * streamed read counts them: a declared partial last frame decodes to nothing either way.
         */
        boolean truncated() {
            if (dataSizeUnknown() || dataAvailable < 0) {
                return false;
            }
            long frame = blockAlign > 0 ? blockAlign : Math.max(1, (long) channels * ((bits + 7) / 8));
            return dataSize / frame > dataAvailable / frame;
        }

        Header withDataAvailable(long available) {
            return new Header(
                    structuralProblem, haveFmt, tag, channels, rate, blockAlign, bits, dataSize, available, dataOffset);
        }
    }

    /** {@link #scan(byte[], long)} of a whole file. */
    static Header scan(byte[] b) {
        return scan(b, b.length);
    }

    /**
     * Walks the chunks of a file that starts with RIFF....WAVE up to the 'data' chunk.
     * {@code structuralProblem} is null when both 'fmt ' and 'data' were found intact.
     *
     * @param b     the whole file, or its first bytes up to and including the 'data' chunk's header
     * @param total the file's length; -1 when unknown, and then {@code dataAvailable} is -1
     */
    static Header scan(byte[] b, long total) {
        int n = b.length;
        long pos = 12;
        boolean haveFmt = false;
        int tag = 0;
        int channels = 0;
        long rate = 0;
        int blockAlign = 0;
        int bits = 0;
        while (pos + 8 <= n) {
            int p = (int) pos;
            String id = ascii(b, p, 4);
            long size = u32(b, p + 4);
            long body = pos + 8;
            if ("fmt ".equals(id)) {
                if (size < 16) {
                    return new Header(
                            "malformed 'fmt ' chunk (" + size + " bytes, at least 16 expected)",
                            false,
                            0,
                            0,
                            0,
                            0,
                            0,
                            -1,
                            -1,
                            -1);
                }
                if (body + 16 > n) {
                    return new Header(
                            "truncated WAV header (file ends inside the 'fmt ' chunk)",
                            false,
                            0,
                            0,
                            0,
                            0,
                            0,
                            -1,
                            -1,
                            -1);
                }
                int q = (int) body;
                tag = u16(b, q);
                channels = u16(b, q + 2);
                rate = u32(b, q + 4);
                blockAlign = u16(b, q + 12);
                bits = u16(b, q + 14);
                if (tag == 0xFFFE && size >= 40 && body + 40 <= n && startsWith(b, q + 26, GUID_TAIL)) {
                    // WAVE_FORMAT_EXTENSIBLE: the real format tag opens the sub-format GUID.
                    tag = u16(b, q + 24);
                }
                haveFmt = true;
            } else if ("data".equals(id)) {
                String problem = haveFmt ? null : "no 'fmt ' chunk before the 'data' chunk";
                return new Header(
                        problem,
                        haveFmt,
                        tag,
                        channels,
                        rate,
                        blockAlign,
                        bits,
                        size,
                        total < 0 ? -1 : total - body,
                        (int) body);
            }
            pos = body + size + (size & 1);
        }
        String problem;
        if (!haveFmt) {
            problem = pos == n && pos > 12 ? "no 'fmt ' chunk" : "truncated WAV header (no complete 'fmt ' chunk)";
        } else {
            problem = "no 'data' chunk (file truncated?)";
        }
        return new Header(problem, haveFmt, tag, channels, rate, blockAlign, bits, -1, -1, -1);
    }

    static boolean isRiffWave(byte[] b) {
        return b.length >= 12 && startsWith(b, 0, "RIFF") && startsWith(b, 8, "WAVE");
    }

    static String truncation(Header h) {
        String frames = h.blockAlign() > 0
                ? " (" + h.dataSize() / h.blockAlign() + " sample frames), file holds "
                        + h.dataAvailable() / h.blockAlign() + " frames"
                : ", file holds " + h.dataAvailable() + " bytes";
        return "truncated: 'data' chunk declares " + h.dataSize() + " bytes" + frames;
    }

    /**
     * Why the 'fmt ' chunk of {@code h} cannot be decoded, or null: PCM of 1 to 32 bits, IEEE float of 32
     * or 64 bits, and 8-bit A-law and μ-law are read.
     */
    static String fmtProblem(Header h) {
        int tag = h.tag();
        int channels = h.channels();
        long rate = h.rate();
        int bits = h.bits();
        if (tag != 1 && tag != 3 && tag != 6 && tag != 7) {
            return "unsupported encoding " + tagName(tag) + " (format tag 0x" + String.format("%04X", tag)
                    + "); only PCM, IEEE float, A-law and mu-law are read";
        }
        if (channels == 0) {
            return "'fmt ' chunk declares 0 channels";
        }
        if (rate == 0) {
            return "'fmt ' chunk declares sample rate 0";
        }
        if (tag == 1 && (bits < 1 || bits > 32)) {
            return "unsupported PCM sample size " + bits + " bits (up to 32 are read)";
        }
        if (tag == 3 && bits != 32 && bits != 64) {
            return "unsupported float sample size " + bits + " bits (32 or 64 are read)";
        }
        if ((tag == 6 || tag == 7) && bits != 8) {
            return "unsupported " + tagName(tag) + " sample size " + bits + " bits (8 are read)";
        }
        return null;
    }

    static String tagName(int tag) {
        switch (tag) {
            case 0x0001:
                return "PCM";
            case 0x0002:
                return "MS ADPCM";
            case 0x0003:
                return "IEEE float";
            case 0x0006:
                return "A-law";
            case 0x0007:
                return "mu-law";
            case 0x0011:
                return "IMA ADPCM";
            case 0x0031:
                return "GSM 6.10";
            case 0x0050:
                return "MPEG";
            case 0x0055:
                return "MP3";
            case 0x0064:
                return "G.726 ADPCM";
            case 0x0065:
                return "G.722 ADPCM";
            case 0x00FF:
                return "AAC";
            case 0xFFFE:
                return "WAVE_FORMAT_EXTENSIBLE";
            default:
                return "unknown";
        }
    }

    static boolean startsWith(byte[] b, int off, String magic) {
        if (b.length < off + magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (b[off + i] != (byte) magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int off, byte[] magic) {
        if (b.length < off + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (b[off + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean looksLikeText(byte[] b) {
        int n = Math.min(b.length, 512);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            boolean ok = c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c < 0x7F) || c >= 0x80;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String ascii(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len && off + i < b.length; i++) {
            int c = b[off + i] & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return sb.toString();
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }
}
