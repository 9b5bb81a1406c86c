package dev.phasegrad.server;

import dev.phasegrad.MelVocoder;
import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.audio.Audio;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** The embedded clip's frames and what a local inverter makes of them, message by message. */
final class Fixtures {
    static final float[] CLIP;
    static final float[][] MAGNITUDE;
    static final float[][] HIFIGAN_MEL;

    static {
        try {
            CLIP = Audio.readResource("/dev/phasegrad/clips/auth-incorrect.wav").samples();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
        MAGNITUDE = Stft.magnitude(CLIP, StftConfig.hann(1024, 256).withSampleRate(16000));
        // any signal serves to compare the service with a local vocoder; the clip is read as 22.05 kHz
        HIFIGAN_MEL = new LogMelAnalysis(FeatureSpec.HIFIGAN).logMel(CLIP);
    }

    private Fixtures() {}

    /** Per frame the s16le bytes a local {@link PhaseInverter} gives, then the flush tail as the last entry. */
    static List<byte[]> localS16(Method method, float[][] frames) {
        PhaseInverter inv = PhaseInverter.builder()
                .method(method)
                .stft(StftConfig.hann(1024, 256))
                .sampleRate(16000)
                .build();
        List<byte[]> out = new ArrayList<>();
        float[] pcm = new float[Math.max(inv.hop(), inv.latencySamples())];
        for (float[] f : frames) {
            out.add(s16(pcm, inv.push(f, pcm)));
        }
        out.add(s16(pcm, inv.flush(pcm)));
        return out;
    }

    /** Per frame the f32le bytes a local {@link MelVocoder} gives, then the flush tail. */
    static List<byte[]> localMelF32(Method method, float[][] frames) {
        MelVocoder voc = MelVocoder.builder()
                .features(FeatureSpec.HIFIGAN)
                .method(method)
                .build();
        List<byte[]> out = new ArrayList<>();
        float[] pcm = new float[Math.max(voc.hop(), voc.maxFlushSamples())];
        for (float[] f : frames) {
            out.add(f32(pcm, voc.push(f, pcm)));
        }
        out.add(f32(pcm, voc.flush(pcm)));
        return out;
    }

    static byte[] s16(float[] x, int n) {
        ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768.0))));
        }
        return b.array();
    }

    static byte[] f32(float[] x, int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(x[i]);
        }
        return b.array();
    }
}
