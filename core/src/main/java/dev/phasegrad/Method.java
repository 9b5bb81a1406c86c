package dev.phasegrad;

import dev.phasegrad.invert.Methods;
import dev.phasegrad.stft.StftConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The streaming inversion methods a {@link PhaseInverter} runs, by their catalogue names. The
 * offline methods ({@code pghi}, {@code gla}, {@code fgla}, {@code fgla-100}) and the oracle upper
 * bounds stay in the internal catalogue ({@code invert.Methods}) for evaluation; they need the whole
 * spectrogram or the original signal and are not streaming.
 */
public enum Method {
    /** Tiny causal CNN predicting phase derivatives + weighted least-squares integration; no look-ahead. */
    PHASEGRAD("phasegrad"),
    /** The CNN run every second frame, serving two frames; one frame of look-ahead. */
    PHASEGRAD_STRIDED("phasegrad-strided"),
    /** Masuyama et al. (TASLP 2023)-style pair of gated CNNs + the same LS integration; no look-ahead. */
    MASUYAMA2023("masuyama2023"),
    /** LS integration of derivatives from the PGHI relations (no model); no look-ahead. */
    LS_HEURISTIC("ls-heuristic"),
    /** {@link #LS_HEURISTIC} with one frame of look-ahead. */
    LS_HEURISTIC_LA1("ls-heuristic-la1"),
    /** RTPGHI (Průša and Holighaus 2017); no look-ahead. */
    RTPGHI("rtpghi"),
    /** RTPGHI with one frame of look-ahead. */
    RTPGHI_LA1("rtpghi-la1"),
    /** RTISI-LA (Zhu et al. 2007): 3 frames of look-ahead, 5 iterations, asymmetric window. */
    RTISI_LA("rtisi-la"),
    /** Single-pass spectrogram inversion (Beauregard et al. 2015); no look-ahead. */
    SPSI("spsi");

    private final String catalogueName;

    Method(String catalogueName) {
        this.catalogueName = catalogueName;
    }

    /**
     * The name in the catalogue, the CLI and reports.
     *
     * @return e.g. {@code phasegrad}
     */
    public String catalogueName() {
        return catalogueName;
    }

    /**
     * Older names accepted by {@link #fromName}.
     *
     * @return e.g. {@code [proposed]} for {@link #PHASEGRAD}; empty for most methods
     */
    public List<String> aliases() {
        return Methods.get(catalogueName).aliases();
    }

    /**
     * What it is.
     *
     * @return one line
     */
    public String description() {
        return Methods.get(catalogueName).description();
    }

    /**
     * Whether it runs a neural network model, and so exists only at STFT settings a model is trained for.
     *
     * @return true for {@link #PHASEGRAD}, {@link #PHASEGRAD_STRIDED}, {@link #MASUYAMA2023}
     */
    public boolean usesModel() {
        return Methods.get(catalogueName).modelKind() != null;
    }

    /**
     * Whether it can be built without a model of one's own.
     *
     * @param stft STFT settings, sample rate included
     * @return true unless it is a network method and no built-in model ships for {@code stft}
     */
    public boolean availableAt(StftConfig stft) {
        return Methods.get(catalogueName).availableAt(stft);
    }

    /** @return the catalogue name */
    @Override
    public String toString() {
        return catalogueName;
    }

    /**
     * The method of a catalogue name or an older alias ({@code proposed}, {@code proposed-strided},
     * {@code prior-sota}).
     *
     * @param name a catalogue name or alias
     * @return the method
     * @throws IllegalArgumentException for an unknown name, or one of an offline or oracle method,
     *                                  listing the streaming methods
     */
    public static Method fromName(String name) {
        if (name == null || !Methods.isKnown(name)) {
            throw new IllegalArgumentException("unknown method '" + name + "'; streaming methods: " + names());
        }
        String canonical = Methods.get(name).name();
        for (Method m : values()) {
            if (m.catalogueName.equals(canonical)) {
                return m;
            }
        }
        throw new IllegalArgumentException("method '" + canonical + "' is not a streaming method (it needs the whole "
                + "spectrogram or the original signal); streaming methods: " + names());
    }

    private static String names() {
        List<String> out = new ArrayList<>();
        for (Method m : values()) {
            out.add(m.catalogueName);
        }
        return String.join(", ", out);
    }
}
