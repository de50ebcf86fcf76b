package io.jtorrent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jtorrent.metainfo.FileEntry;
import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.MagnetUri;
import io.jtorrent.metainfo.Metainfo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show what a .torrent file or a magnet link holds.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(paramLabel = "TORRENT_OR_MAGNET", description = "A .torrent file or a magnet: link.")
    String source;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--fetch", description = {"For a magnet link: fetch the metadata from peers (trackers, x.pe, --peer, the DHT)",
            "and show the whole torrent. The session options below apply."})
    boolean fetch;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long --fetch waits for the metadata (default: 120).")
    int timeout = 120;

    @Option(names = "--save-torrent", paramLabel = "FILE", description = "With --fetch: also save the metadata as a .torrent file.")
    Path saveTorrent;

    @Mixin
    SessionOptions session;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> fields;
        if (MagnetUri.looksLikeMagnet(source) && fetch) {
            Metainfo m = fetch(MagnetUri.parse(source));
            if (saveTorrent != null) {
                io.jtorrent.storage.ResumeData.writeAtomically(saveTorrent, m.toTorrentFile());
            }
            fields = describe(m);
        } else if (fetch && !MagnetUri.looksLikeMagnet(source)) {
            throw new BadInputException("--fetch is for magnet links; " + source + " is a file");
        } else {
            fields = describe(source);
        }
        print(spec.commandLine().getOut(), fields, json);
        return ExitCode.OK;
    }

    /** What a magnet link or a .torrent file holds, without fetching anything. */
    private static Map<String, Object> describe(String source) throws Exception {
        if (MagnetUri.looksLikeMagnet(source)) {
            return describe(MagnetUri.parse(source));
        }
        Path file = Path.of(source);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(source + ": no such file (give a .torrent file or a magnet: link)");
        }
        return describe(Metainfo.read(file));
    }

    /**
     * {@code info SOURCE} and {@code info SOURCE --json} (or {@code --json SOURCE}), the way most
     * people and scripts run it, without the command-line parser: building picocli's model of the
     * commands reads their annotations by reflection, about two thirds of a cold start. Returns
     * null — and prints nothing — for anything else (another option, an {@code @file} argument, a
     * source that does not read cleanly), which the parser then handles with its usual help and errors.
     */
    static Integer plain(PrintWriter out, String... args) {
        if (args.length < 2 || args.length > 3 || !args[0].equals("info")) {
            return null;
        }
        String source = null;
        boolean json = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json") && !json) {
                json = true;
            } else if (source == null && !a.isEmpty() && a.charAt(0) != '-' && a.charAt(0) != '@') {
                source = a;
            } else {
                return null;
            }
        }
        try {
            Map<String, Object> fields = describe(source);
            java.io.StringWriter whole = new java.io.StringWriter(); // printed whole or not at all
            print(new PrintWriter(whole), fields, json);
            out.print(whole);
            out.flush();
        } catch (Exception e) {
            return null; // the parser's path says what is wrong, as it always has
        }
        return ExitCode.OK;
    }

    private static void print(PrintWriter out, Map<String, Object> fields, boolean json) throws java.io.IOException {
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(fields));
        } else {
            printText(out, fields);
        }
        out.flush();
    }

    /** Joins the swarm just long enough for a peer to send the metadata; nothing is downloaded. */
    private Metainfo fetch(MagnetUri magnet) throws Exception {
        if (timeout < 1) {
            throw new BadInputException("--timeout must be at least 1 second");
        }
        Path scratch = Files.createTempDirectory("jtorrent-fetch");
        try (io.jtorrent.engine.Session s = io.jtorrent.engine.Session.start(session.settings(scratch))) {
            io.jtorrent.engine.AddTorrentParams.Builder p = io.jtorrent.engine.AddTorrentParams.builder(magnet, scratch)
                    .selectFiles(java.util.List.of()); // no file wanted: only the metadata
            session.peers.forEach(p::peer);
            io.jtorrent.engine.TorrentHandle h = s.add(p.build()).get(30, java.util.concurrent.TimeUnit.SECONDS);
            try {
                return h.metadata().get(timeout, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new BadInputException("no peer sent the metadata of " + magnet.infoHash().hex() + " within " + timeout + " s");
            } finally {
                h.remove().get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            try (var files = Files.walk(scratch)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static Map<String, Object> describe(Metainfo m) {
        Info info = m.info();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", info.name());
        f.put("version", info.hasV1() && info.hasV2() ? "hybrid" : info.hasV2() ? "v2" : "v1");
        f.put("infoHash", m.infoHash().hex());
        if (m.infoHashV2().isPresent()) {
            f.put("infoHashV2", m.infoHashV2().get().hex());
        }
        f.put("totalSize", info.totalLength());
        // no lambdas or streams on info's path: the first one a JVM links costs a cold start ~15 ms
        long data = 0;
        List<Map<String, Object>> files = new java.util.ArrayList<>();
        for (FileEntry e : info.files()) {
            if (!e.pad()) {
                data += e.length();
                files.add(file(e));
            }
        }
        if (data != info.totalLength()) {
            f.put("dataSize", data); // without the pad files (v2 and hybrid torrents align files to pieces)
        }
        f.put("pieceLength", info.pieceLength());
        f.put("pieceCount", info.pieceCount());
        f.put("private", info.isPrivate());
        f.put("files", java.util.Collections.unmodifiableList(files));
        f.put("trackers", m.trackers());
        f.put("trackerTiers", m.trackerTiers());
        f.put("webSeeds", m.webSeeds());
        if (m.comment().isPresent()) {
            f.put("comment", m.comment().get());
        }
        if (m.createdBy().isPresent()) {
            f.put("createdBy", m.createdBy().get());
        }
        if (m.creationDate().isPresent()) {
            f.put("creationDate", isoInstant(m.creationDate().get()));
        }
        MagnetUri magnet = MagnetUri.of(m);
        f.put("magnet", magnet.toString());
        if (info.hasV1() && info.hasV2()) {
            // the two single-version forms, for clients that know only one of them
            f.put("magnetV1", new MagnetUri(m.infoHash(), java.util.Optional.empty(), magnet.displayName(),
                    magnet.trackers(), List.of(), magnet.webSeeds(), List.of()).toString());
            f.put("magnetV2", new MagnetUri(m.infoHashV2().orElseThrow(), m.infoHashV2(), magnet.displayName(),
                    magnet.trackers(), List.of(), magnet.webSeeds(), List.of()).toString());
        }
        if (!m.warnings().isEmpty()) {
            f.put("warnings", m.warnings());
        }
        return f;
    }

    /**
     * What {@link java.time.Instant#toString} prints ("2026-12-02T12:38:41Z"), without loading the
     * {@code java.time.format} machinery for whole seconds of the years 1 to 9999 (a creation date).
     */
    static String isoInstant(java.time.Instant t) {
        if (t.getNano() != 0 || t.getEpochSecond() < -62135596800L || t.getEpochSecond() > 253402300799L) {
            return t.toString();
        }
        java.time.LocalDateTime d = java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, java.time.ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(20);
        pad(b, d.getYear(), 4).append('-');
        pad(b, d.getMonthValue(), 2).append('-');
        pad(b, d.getDayOfMonth(), 2).append('T');
        pad(b, d.getHour(), 2).append(':');
        pad(b, d.getMinute(), 2).append(':');
        return pad(b, d.getSecond(), 2).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String v = Integer.toString(value);
        for (int i = v.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(v);
    }

    private static Map<String, Object> file(FileEntry e) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("path", e.pathString());
        f.put("length", e.length());
        if (e.isSymlink()) {
            f.put("symlinkTarget", String.join("/", e.symlinkTarget()));
        }
        return f;
    }

    static Map<String, Object> describe(MagnetUri m) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", m.displayName().orElse(null));
        f.put("version", m.infoHash().version() == io.jtorrent.metainfo.InfoHash.Version.V2 ? "v2"
                : m.v2InfoHash().isPresent() ? "hybrid" : "v1");
        f.put("infoHash", m.infoHash().hex());
        if (m.v2InfoHash().isPresent()) {
            f.put("infoHashV2", m.v2InfoHash().get().hex());
        }
        f.put("trackers", m.trackers());
        f.put("webSeeds", m.webSeeds());
        f.put("peers", m.peers());
        if (!m.selectOnly().isEmpty()) {
            f.put("selectOnly", m.selectOnly());
        }
        f.put("magnet", m.toString());
        return f;
    }

    @SuppressWarnings("unchecked")
    private static void printText(PrintWriter out, Map<String, Object> f) {
        out.println("name:         " + (f.get("name") != null ? f.get("name") : "(unknown until the metadata is fetched)"));
        if (f.containsKey("version")) {
            out.println("version:      " + f.get("version"));
        }
        if (!"v2".equals(f.get("version"))) {
            out.println("info-hash:    " + f.get("infoHash"));
        }
        if (f.containsKey("infoHashV2")) {
            out.println("info-hash v2: " + f.get("infoHashV2"));
        }
        if (f.containsKey("totalSize")) {
            long total = (Long) f.get("totalSize");
            if (f.containsKey("dataSize")) {
                long data = (Long) f.get("dataSize");
                out.println("size:         " + Sizes.format(data) + " (" + data + " bytes; " + total + " with padding)");
            } else {
                out.println("size:         " + Sizes.format(total) + " (" + total + " bytes)");
            }
            out.println("pieces:       " + f.get("pieceCount") + " x " + Sizes.format((Long) f.get("pieceLength")));
            out.println("private:      " + ((Boolean) f.get("private") ? "yes" : "no"));
        }
        if (f.containsKey("comment")) {
            out.println("comment:      " + f.get("comment"));
        }
        if (f.containsKey("createdBy")) {
            out.println("created by:   " + f.get("createdBy"));
        }
        if (f.containsKey("creationDate")) {
            out.println("created:      " + f.get("creationDate"));
        }
        if (f.containsKey("trackerTiers")) {
            List<List<String>> tiers = (List<List<String>>) f.get("trackerTiers");
            out.println(tiers.isEmpty() ? "trackers:     none (trackerless)" : "trackers:");
            for (int i = 0; i < tiers.size(); i++) {
                for (String t : tiers.get(i)) {
                    out.println("  tier " + i + ": " + t);
                }
            }
        } else {
            List<String> trackers = (List<String>) f.get("trackers");
            out.println(trackers.isEmpty() ? "trackers:     none" : "trackers:");
            for (String t : trackers) {
                out.println("  " + t);
            }
        }
        List<String> webSeeds = (List<String>) f.get("webSeeds");
        if (!webSeeds.isEmpty()) {
            out.println("web seeds:");
            for (String w : webSeeds) {
                out.println("  " + w);
            }
        }
        if (f.containsKey("peers") && !((List<?>) f.get("peers")).isEmpty()) {
            out.println("peers:");
            for (String p : (List<String>) f.get("peers")) {
                out.println("  " + p);
            }
        }
        if (f.containsKey("files")) {
            List<Map<String, Object>> files = (List<Map<String, Object>>) f.get("files");
            out.println("files:        " + files.size());
            for (Map<String, Object> file : files) {
                String extra = file.containsKey("symlinkTarget") ? " -> " + file.get("symlinkTarget") : "";
                String size = Sizes.format((Long) file.get("length"));
                out.println("  " + " ".repeat(Math.max(0, 12 - size.length())) + size + "  " + file.get("path") + extra);
            }
        }
        if (f.containsKey("warnings")) {
            out.println("warnings:");
            for (String w : (List<String>) f.get("warnings")) {
                out.println("  " + w);
            }
        }
        out.println("magnet:       " + f.get("magnet"));
        if (f.containsKey("magnetV1")) {
            out.println("magnet v1:    " + f.get("magnetV1"));
            out.println("magnet v2:    " + f.get("magnetV2"));
        }
    }
}
