package dev.phasegrad.flink;

import dev.phasegrad.PhaseInverter;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** The plain library on the same frames, and a stream's waveform put together from its hops. */
final class Reference {
    private Reference() {}

    /** One inverter over {@code frames} (the first {@code count}), then its flush: the uninterrupted stream. */
    static float[] plain(InverterSpec spec, float[][] frames, int count) {
        PhaseInverter inv = spec.build();
        float[] y = new float[count * inv.hop() + inv.latencySamples()];
        int at = 0;
        for (int t = 0; t < count; t++) {
            at += inv.push(frames[t], y, at);
        }
        at += inv.flush(y, at);
        if (at != y.length) {
            throw new AssertionError("plain run wrote " + at + " samples, expected " + y.length);
        }
        return y;
    }

    /** The samples of {@code hops} (one stream's, any order) in sequence order; checks they are 0..n, tail last. */
    static float[] join(Collection<PcmHop> hops) {
        List<PcmHop> sorted =
                hops.stream().sorted(Comparator.comparingLong(h -> h.seq)).toList();
        int length = 0;
        for (int i = 0; i < sorted.size(); i++) {
            PcmHop h = sorted.get(i);
            if (h.seq != i) {
                throw new AssertionError(h.stream + ": hop " + i + " missing or duplicated (found seq " + h.seq + ")");
            }
            if (h.last != (i == sorted.size() - 1)) {
                throw new AssertionError(h.stream + ": tail at seq " + h.seq + " of " + sorted.size());
            }
            length += h.pcm.length;
        }
        float[] y = new float[length];
        int at = 0;
        for (PcmHop h : sorted) {
            System.arraycopy(h.pcm, 0, y, at, h.pcm.length);
            at += h.pcm.length;
        }
        return y;
    }
}
