package dev.phasegrad.flink;

import java.util.Arrays;
import java.util.Objects;

/**
 * One STFT magnitude frame of a stream, or the stream's end marker, as it enters the keyed inverter.
 *
 * <p>A Flink POJO (public fields, public no-argument constructor): Flink serializes it field by field
 * with its own serializers ({@code float[]} as a primitive array), never through Kryo.
 */
public final class Frame {
    /** The stream id, the key. */
    public String stream;
    /** The frame's index in its stream, from 0; the end marker carries the number of frames. */
    public long seq;
    /** {@code bins} magnitudes (or ln|X| when the job takes log magnitudes); empty for the end marker. */
    public float[] magnitude;
    /** True for the end marker: flush the stream's tail and forget it. */
    public boolean end;

    public Frame() {}

    private Frame(String stream, long seq, float[] magnitude, boolean end) {
        this.stream = stream;
        this.seq = seq;
        this.magnitude = magnitude;
        this.end = end;
    }

    /** {@return frame {@code seq} of {@code stream}} */
    public static Frame of(String stream, long seq, float[] magnitude) {
        return new Frame(stream, seq, magnitude, false);
    }

    /** {@return the end marker of {@code stream} after {@code frames} frames} */
    public static Frame end(String stream, long frames) {
        return new Frame(stream, frames, new float[0], true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f
                && seq == f.seq
                && end == f.end
                && Objects.equals(stream, f.stream)
                && Arrays.equals(magnitude, f.magnitude);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, seq, end) * 31 + Arrays.hashCode(magnitude);
    }

    @Override
    public String toString() {
        return end ? stream + "#" + seq + " end" : stream + "#" + seq;
    }
}
