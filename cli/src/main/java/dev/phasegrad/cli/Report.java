package dev.phasegrad.cli;

import dev.phasegrad.eval.MethodResult;
import dev.phasegrad.metrics.QualityScores;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats evaluation results as a text table and as JSON. */
final class Report {
    private Report() {}

    /** Averages per method over sources, keeping method order of first appearance. */
    static List<MethodResult> meanByMethod(List<MethodResult> results) {
        Map<String, List<MethodResult>> by = new LinkedHashMap<>();
        for (MethodResult r : results) {
            by.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
        }
        List<MethodResult> out = new ArrayList<>();
        for (Map.Entry<String, List<MethodResult>> e : by.entrySet()) {
            List<MethodResult> rs = e.getValue();
            int n = rs.size();
            MethodResult f = rs.get(0);
            out.add(new MethodResult(
                    e.getKey(),
                    "mean of " + n,
                    QualityScores.mean(rs.stream().map(MethodResult::scores).toList()),
                    rs.stream().mapToDouble(MethodResult::microsPerFrame).sum() / n,
                    f.lookaheadFrames(),
                    f.latencyMs(),
                    null));
        }
        return out;
    }

    static void printTable(PrintStream out, String title, StftConfig config, List<MethodResult> rows) {
        out.println();
        out.println(title + "  [" + config + "]");
        String header = String.format(
                Locale.ROOT,
                "%-18s %6s %8s %7s %7s %8s %8s %8s %10s",
                "method",
                "look",
                "latency",
                "STOI",
                "ESTOI",
                "SC dB",
                "SNR dB",
                "LSD dB",
                "us/frame");
        out.println(header);
        out.println("-".repeat(header.length()));
        for (MethodResult r : rows) {
            QualityScores q = r.scores();
            String look = r.offline() ? "all" : Integer.toString(r.lookaheadFrames());
            String lat = r.offline() ? "offline" : String.format(Locale.ROOT, "%.0f ms", r.latencyMs());
            out.println(String.format(
                    Locale.ROOT,
                    "%-18s %6s %8s %7.4f %7.4f %8.2f %8.2f %8.2f %10.1f",
                    r.method(),
                    look,
                    lat,
                    q.stoi(),
                    q.estoi(),
                    q.scDb(),
                    q.snrDb(),
                    q.lsdDb(),
                    r.microsPerFrame()));
        }
    }

    static void writeJson(Path path, StftConfig config, List<MethodResult> results, List<MethodResult> means)
            throws IOException {
        Json.write(path, json(config, results, means));
    }

    /** The report as a JSON tree: the STFT settings, one row per method and file, one mean row per method. */
    static Map<String, Object> json(StftConfig config, List<MethodResult> results, List<MethodResult> means) {
        Map<String, Object> stft = Json.object();
        stft.put("fft", config.fftSize());
        stft.put("window", config.windowLength());
        stft.put("hop", config.hop());
        stft.put("sample_rate", config.sampleRate());
        stft.put("window_type", "hann-periodic");
        Map<String, Object> root = Json.object();
        root.put("stft", stft);
        root.put("results", rows(results));
        root.put("means", rows(means));
        return root;
    }

    private static List<Map<String, Object>> rows(List<MethodResult> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MethodResult r : rows) {
            QualityScores q = r.scores();
            Map<String, Object> o = Json.object();
            o.put("method", r.method());
            o.put("source", r.source());
            o.put("lookahead_frames", r.offline() ? null : r.lookaheadFrames());
            o.put("latency_ms", Json.num(r.latencyMs()));
            o.put("stoi", Json.num(q.stoi()));
            o.put("estoi", Json.num(q.estoi()));
            o.put("sc_db", Json.num(q.scDb()));
            o.put("snr_db", Json.num(q.snrDb()));
            o.put("lsd_db", Json.num(q.lsdDb()));
            o.put("us_per_frame", Json.num(r.microsPerFrame()));
            out.add(o);
        }
        return out;
    }
}
