package dev.phasegrad.nn;

import java.util.List;

/**
 * A trunk of frequency-axis convolutions shared by one or more heads. Input: {@code inChannels}
 * rows (input frames, newest first) of K bins; every trunk layer keeps the length K. Immutable.
 */
public final class NetworkSpec {
    private final int inChannels;
    private final List<LayerSpec> trunk;
    private final List<HeadSpec> heads;

    /**
     * @param inChannels input rows (frames)
     * @param trunk      the trunk layers, each reading the previous one's channels (copied)
     * @param heads      the heads on the trunk's last activation (copied)
     * @throws IllegalArgumentException if a list is empty or the channels do not chain
     */
    public NetworkSpec(int inChannels, List<LayerSpec> trunk, List<HeadSpec> heads) {
        if (trunk.isEmpty() || heads.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one trunk layer and one head");
        }
        int ch = inChannels;
        for (int i = 0; i < trunk.size(); i++) {
            LayerSpec l = trunk.get(i);
            if (l.inChannels() != ch) {
                throw new IllegalArgumentException(
                        "trunk layer " + i + " expects " + l.inChannels() + " input channels, previous gives " + ch);
            }
            if (l.lengthDelta() != 0) {
                throw new IllegalArgumentException("trunk layer " + i + " must keep the length");
            }
            if (l.skipFrom() > i) {
                throw new IllegalArgumentException(
                        "trunk layer " + i + " skips from a later activation " + l.skipFrom());
            }
            if (l.skipFrom() >= 0) {
                int skipCh = l.skipFrom() == 0
                        ? inChannels
                        : trunk.get(l.skipFrom() - 1).outChannels();
                if (skipCh != l.outChannels()) {
                    throw new IllegalArgumentException("trunk layer " + i + " adds activation " + l.skipFrom() + " of "
                            + skipCh + " channels to " + l.outChannels());
                }
            }
            ch = l.outChannels();
        }
        for (HeadSpec h : heads) {
            if (h.layer().inChannels() != ch) {
                throw new IllegalArgumentException(
                        "head " + h + " expects " + h.layer().inChannels() + " channels, trunk gives " + ch);
            }
        }
        this.inChannels = inChannels;
        this.trunk = List.copyOf(trunk);
        this.heads = List.copyOf(heads);
    }

    /** {@return the input rows (frames)} */
    public int inChannels() {
        return inChannels;
    }

    /** {@return the trunk layers} */
    public List<LayerSpec> trunk() {
        return trunk;
    }

    /** {@return the heads} */
    public List<HeadSpec> heads() {
        return heads;
    }

    /**
     * Channels of activation i (0 = input).
     *
     * @param activation 0 for the input, i for the output of trunk layer i−1
     * @return its channels
     */
    public int channels(int activation) {
        return activation == 0 ? inChannels : trunk.get(activation - 1).outChannels();
    }

    /** {@return the most channels of any activation} */
    public int maxChannels() {
        int m = inChannels;
        for (LayerSpec l : trunk) {
            m = Math.max(m, l.convRows());
        }
        for (HeadSpec h : heads) {
            m = Math.max(m, h.layer().convRows());
        }
        return m;
    }

    /** {@return the largest inChannels · kernel of any layer: the shifted-row scratch the convolution kernels need} */
    public int maxTaps() {
        int m = 1;
        for (LayerSpec l : trunk) {
            m = Math.max(m, l.inChannels() * l.kernel());
        }
        for (HeadSpec h : heads) {
            m = Math.max(m, h.layer().inChannels() * h.layer().kernel());
        }
        return m;
    }

    /**
     * Parameters of all {@code nets} together: the length of a model's weight vector.
     *
     * @param nets the networks
     * @return their parameter count
     */
    public static int paramCount(List<NetworkSpec> nets) {
        int n = 0;
        for (NetworkSpec net : nets) {
            n += net.paramCount();
        }
        return n;
    }

    /** {@return the parameters of this network} */
    public int paramCount() {
        int n = 0;
        for (LayerSpec l : trunk) {
            n += l.paramCount();
        }
        for (HeadSpec h : heads) {
            n += h.layer().paramCount();
        }
        return n;
    }

    /**
     * Multiply-accumulates of one run over a frame of {@code bins} bins.
     *
     * @param bins the frame's bins
     * @return the multiply-accumulates
     */
    public long macs(int bins) {
        long m = 0;
        for (LayerSpec l : trunk) {
            m += l.macs(bins);
        }
        for (HeadSpec h : heads) {
            m += h.layer().macs(bins);
        }
        return m;
    }

    @Override
    public String toString() {
        return "in " + inChannels + " → " + trunk + " → " + heads;
    }
}
