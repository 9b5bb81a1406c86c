package dev.phasegrad.audio;

import static dev.phasegrad.audio.TestWavs.chunk;
import static dev.phasegrad.audio.TestWavs.concat;
import static dev.phasegrad.audio.TestWavs.fmt;
import static dev.phasegrad.audio.TestWavs.fmtExtensible;
import static dev.phasegrad.audio.TestWavs.riff;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.Test;

/**
 * The reader gives the samples {@code javax.sound.sampled} gives, bit for bit, for every encoding
 * javax.sound decodes: javax.sound (the JDK's own readers and G.711 codecs) is the reference here,
 * which is why the core's tests read {@code java.desktop} while the core itself does not.
 */
class JavaxSoundParityTest {

    private static final Random RANDOM = new Random(20250601);

    @Test
    void wavPcmOfEveryWholeByteDepthAndChannelCount() throws Exception {
        for (int bits : new int[] {8, 12, 16, 20, 24, 32}) {
            for (int channels = 1; channels <= 3; channels++) {
                int bytes = (bits + 7) / 8;
                byte[] data = randomBytes(301 * channels * bytes);
                byte[] plain = riff(fmtFor(1, channels, 16000, bits), chunk("data", data));
                assertSame(plain, "PCM " + bits + " bits, " + channels + " ch");
                if (bits % 8 == 0) {
                    byte[] ext = riff(fmtExtensible(1, channels, 16000, bits, bits), chunk("data", data));
                    assertSame(ext, "extensible PCM " + bits + " bits, " + channels + " ch");
                }
            }
        }
    }

    @Test
    void wavFloatPlainAndExtensible() throws Exception {
        for (int channels = 1; channels <= 2; channels++) {
            ByteArrayOutputStream f32 = new ByteArrayOutputStream();
            ByteArrayOutputStream f64 = new ByteArrayOutputStream();
            for (int i = 0; i < 257 * channels; i++) {
                double v = RANDOM.nextGaussian() * 0.3;
                f32.writeBytes(TestWavs.floats((float) v));
                f64.writeBytes(TestWavs.doubles(v));
            }
            assertSame(riff(fmtFor(3, channels, 48000, 32), chunk("data", f32.toByteArray())), "float32");
            assertSame(riff(fmtFor(3, channels, 48000, 64), chunk("data", f64.toByteArray())), "float64");
            assertSame(
                    riff(fmtExtensible(3, channels, 48000, 32, 32), chunk("data", f32.toByteArray())),
                    "extensible float32");
        }
    }

    @Test
    void wavALawAndMuLawEveryCode() throws Exception {
        byte[] codes = new byte[512];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) (i < 256 ? i : RANDOM.nextInt(256));
        }
        for (int tag : new int[] {6, 7}) {
            for (int channels = 1; channels <= 2; channels++) {
                assertSame(
                        riff(fmtFor(tag, channels, 8000, 8), chunk("data", codes)),
                        (tag == 6 ? "A-law " : "mu-law ") + channels + " ch");
            }
        }
    }

    @Test
    void aiffAndAuWrittenByJavaxSound() throws Exception {
        for (int bits : new int[] {8, 16, 24, 32}) {
            for (int channels = 1; channels <= 2; channels++) {
                byte[] pcm = randomBytes(203 * channels * (bits / 8));
                AudioFormat be = new AudioFormat(22050f, bits, channels, true, true);
                for (AudioFileFormat.Type type :
                        new AudioFileFormat.Type[] {AudioFileFormat.Type.AIFF, AudioFileFormat.Type.AU}) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), be, 203), type, out);
                    assertSame(out.toByteArray(), type + " " + bits + " bits, " + channels + " ch");
                }
            }
        }
    }

    @Test
    void auCompandedWrittenByHand() throws Exception {
        byte[] codes = new byte[256];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) i;
        }
        for (int encoding : new int[] {1, 27}) {
            byte[] header = concat(TestWavs.ascii(".snd"), be(24), be(codes.length), be(encoding), be(8000), be(1));
            assertSame(concat(header, codes), "AU encoding " + encoding);
        }
    }

    // ------------------------------------------------------------------------------------------

    private static void assertSame(byte[] file, String what) throws Exception {
        float[] ours = Audio.decode(file, what).samples();
        float[] reference = javaxSound(file);
        // the same samples streamed from a pipe in odd-sized blocks
        float[] piped = new float[ours.length + 1];
        try (AudioStream s = AudioStream.open(new ByteArrayInputStream(file), what)) {
            int at = 0;
            for (int n; (n = s.read(piped, at, Math.min(77, piped.length - at))) > 0; ) {
                at += n;
            }
            assertThat(at).as(what + " piped").isEqualTo(ours.length);
        }
        assertThat(Arrays.copyOf(piped, ours.length)).as(what + " piped").isEqualTo(ours);
        assertThat(ours).as(what).hasSameSizeAs(reference);
        for (int i = 0; i < ours.length; i++) {
            if (Float.floatToRawIntBits(ours[i]) != Float.floatToRawIntBits(reference[i])) {
                throw new AssertionError(
                        what + ": sample " + i + " is " + ours[i] + ", javax.sound gives " + reference[i]);
            }
        }
    }

    /** Mono samples as javax.sound decodes the file, with the same scaling and channel averaging. */
    private static float[] javaxSound(byte[] file) throws IOException, UnsupportedAudioFileException {
        AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(file));
        AudioFormat f = in.getFormat();
        AudioFormat.Encoding enc = f.getEncoding();
        if (AudioFormat.Encoding.ULAW.equals(enc) || AudioFormat.Encoding.ALAW.equals(enc)) {
            in = AudioSystem.getAudioInputStream(
                    new AudioFormat(f.getSampleRate(), 16, f.getChannels(), true, false), in);
            f = in.getFormat();
            enc = f.getEncoding();
        }
        byte[] data = in.readAllBytes();
        int channels = f.getChannels();
        int bps = f.getFrameSize() / channels;
        int frames = data.length / f.getFrameSize();
        float[] out = new float[frames];
        double scale = 1.0 / (1L << (8 * bps - 1));
        int pos = 0;
        for (int t = 0; t < frames; t++) {
            double sum = channels == 1 ? -0.0 : 0.0;
            for (int c = 0; c < channels; c++, pos += bps) {
                long raw = 0;
                for (int i = 0; i < bps; i++) {
                    int b = data[pos + (f.isBigEndian() ? i : bps - 1 - i)] & 0xFF;
                    raw = (raw << 8) | b;
                }
                double v;
                if (AudioFormat.Encoding.PCM_FLOAT.equals(enc)) {
                    v = bps == 4 ? Float.intBitsToFloat((int) raw) : Double.longBitsToDouble(raw);
                } else if (AudioFormat.Encoding.PCM_UNSIGNED.equals(enc)) {
                    v = (raw - (1L << (8 * bps - 1))) * scale;
                } else {
                    int shift = 64 - 8 * bps;
                    v = ((raw << shift) >> shift) * scale;
                }
                sum += v;
            }
            out[t] = (float) (sum * (1.0 / channels));
        }
        return out;
    }

    /** A plain 'fmt ' chunk whose block align is whole bytes per sample, as {@link TestWavs#fmt} is for whole bytes. */
    private static byte[] fmtFor(int tag, int channels, int rate, int bits) {
        if (bits % 8 == 0) {
            return fmt(tag, channels, rate, bits);
        }
        int align = channels * ((bits + 7) / 8);
        return chunk(
                "fmt ",
                concat(
                        TestWavs.le(tag, 2),
                        TestWavs.le(channels, 2),
                        TestWavs.le(rate, 4),
                        TestWavs.le((long) rate * align, 4),
                        TestWavs.le(align, 2),
                        TestWavs.le(bits, 2)));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static byte[] be(long v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }
}
