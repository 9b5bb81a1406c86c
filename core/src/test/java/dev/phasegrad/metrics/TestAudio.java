package dev.phasegrad.metrics;

import dev.phasegrad.audio.Audio;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test-only access to the metric fixtures on the test classpath. */
final class TestAudio {
    static final String DIR = "/fixtures/metrics/";
    private static final Map<String, float[]> CACHE = new ConcurrentHashMap<>();

    private TestAudio() {}

    /** 16-bit mono PCM WAV as samples / 32768 (exact in float). Cached: do not modify the array. */
    static float[] wav(String name) {
        return CACHE.computeIfAbsent(name, TestAudio::load);
    }

    static int wavRate(String name) {
        return read(name).sampleRate();
    }

    /** Samples are the 16-bit values / 32768, exact in float, as the fixture README requires. */
    private static float[] load(String name) {
        return read(name).samples();
    }

    private static Audio read(String name) {
        try {
            return Audio.readResource(DIR + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
