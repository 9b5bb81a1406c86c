package dev.phasegrad.flink;

import org.apache.flink.api.common.functions.MapFunction;

/**
 * Numbers to frames: number {@code i} is frame {@code i / streams} of stream {@code clip-(i % streams)}
 * ({@link ClipFrames}, the clip repeated when {@code frames} exceeds it), and the last {@code streams}
 * numbers are the streams' end markers. Behind a replayable number source (Flink's
 * {@code fromSequence}) it is a deterministic, checkpointable frame source: after a recovery the same
 * numbers give the same frames.
 */
public final class ClipFrameGenerator implements MapFunction<Long, Frame> {
    private static final long serialVersionUID = 1L;

    private final InverterSpec spec;
    private final int streams;
    private final int frames;

    /**
     * @param spec    the STFT settings of the frames
     * @param streams number of streams
     * @param frames  frames per stream
     */
    public ClipFrameGenerator(InverterSpec spec, int streams, int frames) {
        if (streams < 1 || frames < 1) {
            throw new IllegalArgumentException("streams and frames must be positive, got " + streams + ", " + frames);
        }
        this.spec = spec;
        this.streams = streams;
        this.frames = frames;
    }

    /** {@return how many numbers (frames and end markers) the generator maps: {@code streams · (frames + 1)}} */
    public long count() {
        return (long) streams * (frames + 1);
    }

    /** {@return the stream id of stream {@code index}} */
    public static String streamId(int index) {
        return "clip-" + index;
    }

    @Override
    public Frame map(Long i) {
        int s = (int) (i % streams);
        long t = i / streams;
        if (t >= frames) {
            return Frame.end(streamId(s), frames);
        }
        float[][] clip = ClipFrames.frames(s, spec.stft());
        return Frame.of(streamId(s), t, clip[(int) (t % clip.length)]);
    }
}
