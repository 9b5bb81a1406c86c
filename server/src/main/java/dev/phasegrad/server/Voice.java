package dev.phasegrad.server;

import dev.phasegrad.MelVocoder;
import dev.phasegrad.PhaseInverter;
import java.nio.ByteBuffer;

/**
 * One stream's inverter as the service drives it: magnitude frames (linear or ln) through a
 * {@link PhaseInverter}, or log-mel frames through a {@link MelVocoder}.
 */
abstract class Voice {
    private static final int MEL_MAGIC = 0x50474d56; // "PGMV"

    /** Values per frame: STFT bins or mel bands. */
    abstract int values();

    abstract int hop();

    abstract int sampleRate();

    abstract int latencySamples();

    /** Buffer size {@link #flush} needs. */
    abstract int maxFlushSamples();

    /** Pushes one frame; returns the samples written to {@code pcm} (hop, or fewer for a vocoder's first frames). */
    abstract int push(float[] frame, float[] pcm);

    abstract int flush(float[] pcm);

    abstract byte[] snapshot();

    abstract void restore(byte[] snapshot);

    /**
     * Frames a snapshot says its stream had taken, read after restore accepted it: the inverter's header
     * (docs/API.md), behind the mel vocoder's own header (magic PGMV, version, state length n, the state,
     * CRC) for a vocoder's snapshot.
     */
    static long framesOf(byte[] snapshot) {
        ByteBuffer b = ByteBuffer.wrap(snapshot);
        int at = b.getInt(0) == MEL_MAGIC ? 16 + b.getInt(8) : 0;
        int nameLength = b.get(at + 6) & 0xff;
        return b.getLong(at + 6 + 1 + nameLength + 16 + 4);
    }

    static Voice of(PhaseInverter inv, boolean log) {
        return new Voice() {
            @Override
            int values() {
                return inv.bins();
            }

            @Override
            int hop() {
                return inv.hop();
            }

            @Override
            int sampleRate() {
                return inv.sampleRate();
            }

            @Override
            int latencySamples() {
                return inv.latencySamples();
            }

            @Override
            int maxFlushSamples() {
                return inv.latencySamples();
            }

            @Override
            int push(float[] frame, float[] pcm) {
                return log ? inv.pushLog(frame, pcm) : inv.push(frame, pcm);
            }

            @Override
            int flush(float[] pcm) {
                return inv.flush(pcm);
            }

            @Override
            byte[] snapshot() {
                return inv.snapshot();
            }

            @Override
            void restore(byte[] snapshot) {
                inv.restore(snapshot);
            }
        };
    }

    static Voice of(MelVocoder voc) {
        return new Voice() {
            @Override
            int values() {
                return voc.bands();
            }

            @Override
            int hop() {
                return voc.hop();
            }

            @Override
            int sampleRate() {
                return voc.sampleRate();
            }

            @Override
            int latencySamples() {
                return voc.latencySamples();
            }

            @Override
            int maxFlushSamples() {
                return voc.maxFlushSamples();
            }

            @Override
            int push(float[] frame, float[] pcm) {
                return voc.push(frame, pcm);
            }

            @Override
            int flush(float[] pcm) {
                return voc.flush(pcm);
            }

            @Override
            byte[] snapshot() {
                return voc.snapshot();
            }

            @Override
            void restore(byte[] snapshot) {
                voc.restore(snapshot);
            }
        };
    }
}
