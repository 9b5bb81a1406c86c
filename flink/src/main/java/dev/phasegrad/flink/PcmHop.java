package dev.phasegrad.flink;

import java.util.Arrays;
import java.util.Objects;

/**
 * Audio out of the keyed inverter: the hop of samples frame {@code seq} produced, or, with
 * {@link #last}, the stream's tail (the inverter's latency drained). A stream's waveform is its hops'
 * samples in {@code seq} order, tail last: exactly what one {@code PhaseInverter} gives for the same
 * frames. A Flink POJO, serialized without Kryo.
 */
public final class PcmHop {
    /** The stream id. */
    public String stream;
    /** The frame this hop came from; the tail's is the number of frames of the stream. */
    public long seq;
    /** {@code hop} samples, or {@code latencySamples} for the tail. */
    public float[] pcm;
    /** True for the tail: the stream ended (end marker or eviction) and its state is gone. */
    public boolean last;
    /** True when the tail was flushed because the stream was idle past the timeout, not by its end marker. */
    public boolean evicted;

    public PcmHop() {}

    public PcmHop(String stream, long seq, float[] pcm, boolean last, boolean evicted) {
        this.stream = stream;
        this.seq = seq;
        this.pcm = pcm;
        this.last = last;
        this.evicted = evicted;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcmHop h
                && seq == h.seq
                && last == h.last
                && evicted == h.evicted
                && Objects.equals(stream, h.stream)
                && Arrays.equals(pcm, h.pcm);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, seq, last, evicted) * 31 + Arrays.hashCode(pcm);
    }

    @Override
    public String toString() {
        return stream + "#" + seq + (last ? evicted ? " tail (evicted)" : " tail" : "") + " ("
                + (pcm == null ? 0 : pcm.length) + " samples)";
    }
}
