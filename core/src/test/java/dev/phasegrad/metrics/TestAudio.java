package dev.phasegrad.metrics;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Test-only access to the metric fixtures on the test classpath. */
final class TestAudio {
    static final String DIR = "/fixtures/metrics/";
    private static final Map<String, float[]> CACHE = new ConcurrentHashMap<>();

    private TestAudio() {
    }

    /** 16-bit mono PCM WAV as samples / 32768 (exact in float). Cached: do not modify the array. */
    static float[] wav(String name) {
        return CACHE.computeIfAbsent(name, TestAudio::load);
    }

    static int wavRate(String name) {
        try (InputStream in = open(name);
             AudioInputStream ais = AudioSystem.getAudioInputStream(new BufferedInputStream(in))) {
            return Math.round(ais.getFormat().getSampleRate());
        } catch (IOException | UnsupportedAudioFileException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    private static float[] load(String name) {
        try (InputStream in = open(name);
             AudioInputStream ais = AudioSystem.getAudioInputStream(new BufferedInputStream(in))) {
            AudioFormat f = ais.getFormat();
            if (f.getChannels() != 1 || f.getSampleSizeInBits() != 16
                    || f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED || f.isBigEndian()) {
                throw new IllegalStateException(name + ": expected mono 16-bit little-endian PCM, got " + f);
            }
            byte[] b = ais.readAllBytes();
            float[] x = new float[b.length / 2];
            for (int i = 0; i < x.length; i++) {
                short v = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
                x[i] = (float) (v / 32768.0);
            }
            return x;
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        } catch (UnsupportedAudioFileException e) {
            throw new IllegalStateException("cannot decode " + name, e);
        }
    }

    static Object referenceJson() {
        try (InputStream in = open("reference.json")) {
            return MiniJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = TestAudio.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + DIR + name);
        }
        return in;
    }
}
