package dev.phasegrad.flink;

import java.util.Objects;

/**
 * A frame the keyed inverter refused, on its side output {@link InvertFrames#REJECTED}: out of
 * sequence, or invalid (wrong length, not finite, negative). The stream is unchanged by it.
 */
public final class Rejected {
    /** The stream id. */
    public String stream;
    /** The refused frame's sequence number. */
    public long seq;
    /** One line: what was wrong, with expected and received values. */
    public String reason;

    public Rejected() {}

    public Rejected(String stream, long seq, String reason) {
        this.stream = stream;
        this.seq = seq;
        this.reason = reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rejected r
                && seq == r.seq
                && Objects.equals(stream, r.stream)
                && Objects.equals(reason, r.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, seq, reason);
    }

    @Override
    public String toString() {
        return stream + "#" + seq + ": " + reason;
    }
}
