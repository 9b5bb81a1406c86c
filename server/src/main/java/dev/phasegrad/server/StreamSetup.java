package dev.phasegrad.server;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.phasegrad.MelVocoder;
import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The first text message of a stream, parsed and checked: which inverter to build and how the PCM is
 * encoded. Every problem is an {@link IllegalArgumentException} whose message names the field.
 */
record StreamSetup(Method method, StftConfig stft, FeatureSpec features, boolean log, PcmFormat output, byte[] resume) {
    private static final Set<String> FIELDS = Set.of("method", "stft", "features", "rate", "input", "output", "resume");

    /** Output sample encodings. */
    enum PcmFormat {
        s16le(2),
        f32le(4);

        final int bytes;

        PcmFormat(int bytes) {
            this.bytes = bytes;
        }
    }

    static StreamSetup parse(String json) {
        Map<String, Object> m;
        try {
            m = JSON.std.mapFrom(json);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("setup is not a JSON object: " + firstLine(e.getMessage()));
        }
        if (m == null) {
            throw new IllegalArgumentException("setup is not a JSON object");
        }
        for (String k : m.keySet()) {
            if (!FIELDS.contains(k)) {
                throw new IllegalArgumentException("unknown setup field '" + k + "'; fields: method, stft, features, "
                        + "rate, input, output, resume");
            }
        }
        FeatureSpec features = null;
        if (m.get("features") != null) {
            String name = string(m, "features");
            features = FeatureSpec.preset(name);
            if (m.containsKey("stft")) {
                throw new IllegalArgumentException("give either 'stft' or 'features', not both");
            }
        }
        String methodName = m.containsKey("method") ? string(m, "method") : null;
        Method method = methodName != null
                ? Method.fromName(methodName)
                : features != null ? Method.RTPGHI_LA1 : Method.PHASEGRAD;
        StftConfig stft;
        if (features != null) {
            stft = features.stft();
            Object rate = m.get("rate");
            if (rate != null && integer(m, "rate") != features.sampleRate()) {
                throw new IllegalArgumentException("rate " + rate + " does not match features " + features.name() + " ("
                        + features.sampleRate() + " Hz)");
            }
        } else {
            int fft = 1024;
            int hop = 256;
            Object s = m.get("stft");
            if (s != null) {
                if (!(s instanceof Map<?, ?> sm)) {
                    throw new IllegalArgumentException("'stft' must be an object such as {\"fft\":1024,\"hop\":256}");
                }
                for (Object k : sm.keySet()) {
                    if (!"fft".equals(k) && !"hop".equals(k)) {
                        throw new IllegalArgumentException("unknown stft field '" + k + "'; fields: fft, hop");
                    }
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> stftMap = (Map<String, Object>) sm;
                fft = stftMap.containsKey("fft") ? integer(stftMap, "fft") : fft;
                hop = stftMap.containsKey("hop") ? integer(stftMap, "hop") : fft / 4;
            }
            int rate = m.containsKey("rate") ? integer(m, "rate") : 16000;
            stft = StftConfig.hann(fft, hop).withSampleRate(rate);
        }
        String input = m.containsKey("input") ? string(m, "input") : features != null ? "log" : "linear";
        if (!input.equals("linear") && !input.equals("log")) {
            throw new IllegalArgumentException("input must be linear or log, got '" + input + "'");
        }
        if (features != null && input.equals("linear")) {
            throw new IllegalArgumentException(
                    "features " + features.name() + " take log-mel frames: input must be log");
        }
        String output = m.containsKey("output") ? string(m, "output") : "s16le";
        PcmFormat format = switch (output) {
            case "s16le" -> PcmFormat.s16le;
            case "f32le" -> PcmFormat.f32le;
            default -> throw new IllegalArgumentException("output must be s16le or f32le, got '" + output + "'");
        };
        byte[] resume = null;
        if (m.get("resume") != null) {
            try {
                resume = Base64.getDecoder().decode(string(m, "resume"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("resume token is not base64: " + e.getMessage());
            }
        }
        return new StreamSetup(method, stft, features, input.equals("log"), format, resume);
    }

    /** Builds the stream's inverter; models and the presets' mel refiners are the core's shared ones. */
    Voice build() {
        if (features != null) {
            return Voice.of(
                    MelVocoder.builder().features(features).method(method).build());
        }
        return Voice.of(PhaseInverter.builder().method(method).stft(stft).build(), log);
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("'" + key + "' must be a string, got " + v);
        }
        return s;
    }

    private static int integer(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Integer i)) {
            throw new IllegalArgumentException("'" + key + "' must be an integer, got " + v);
        }
        return i;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
