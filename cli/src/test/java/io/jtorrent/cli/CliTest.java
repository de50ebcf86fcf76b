package io.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The create / info / verify commands as a user drives them: output, files written, exit statuses. */
class CliTest {
    @TempDir
    Path tmp;

    private Path randomFile(String name, int size, long seed) throws Exception {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Files.createDirectories(tmp.resolve(name).getParent());
        return Files.write(tmp.resolve(name), b);
    }

    @Test
    void versionIsTheSameWithOrWithoutOtherOptions() {
        Cli alone = Cli.run("--version");
        assertThat(alone.status()).isZero();
        assertThat(alone.out()).isEqualTo(Main.versionLine() + System.lineSeparator());
        assertThat(Cli.run("-V").out()).isEqualTo(alone.out());
        // through picocli (another option beside it): the same line
        Cli parsed = Cli.run("--version", "--debug");
        assertThat(parsed.status()).isZero();
        assertThat(parsed.out().strip()).isEqualTo(Main.versionLine());
    }

    @Test
    void createInfoVerifyRoundTrip() throws Exception {
        randomFile("share/one.bin", 70_000, 1);
        randomFile("share/deep/two.bin", 50_000, 2);
        Path torrent = tmp.resolve("share.torrent");
        Cli create = Cli.run("create", tmp.resolve("share").toString(), "-o", torrent.toString(),
                "-t", "http://127.0.0.1:1/announce,http://127.0.0.1:2/announce", "-t", "udp://127.0.0.1:3",
                "-w", "http://127.0.0.1:4/", "--piece-size", "16K", "--private", "--comment", "hello");
        assertThat(create.status()).as(create.err()).isZero();
        assertThat(create.out()).contains("created " + torrent, "info-hash:", "pieces:     8 x 16 KiB");
        assertThat(torrent).exists();

        Cli info = Cli.run("info", torrent.toString(), "--json");
        assertThat(info.status()).as(info.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(info.out());
        assertThat(json.get("name").asText()).isEqualTo("share");
        assertThat(json.get("infoHash").asText()).hasSize(40);
        assertThat(json.get("totalSize").asLong()).isEqualTo(120_000);
        assertThat(json.get("pieceLength").asLong()).isEqualTo(16384);
        assertThat(json.get("pieceCount").asInt()).isEqualTo(8);
        assertThat(json.get("private").asBoolean()).isTrue();
        assertThat(json.get("files")).hasSize(2);
        assertThat(json.get("files").get(0).get("path").asText()).isEqualTo("share/deep/two.bin");
        assertThat(json.get("files").get(0).get("length").asLong()).isEqualTo(50_000);
        assertThat(json.get("trackers")).hasSize(3);
        assertThat(json.get("trackerTiers")).hasSize(2);
        assertThat(json.get("webSeeds").get(0).asText()).isEqualTo("http://127.0.0.1:4/");
        assertThat(json.get("comment").asText()).isEqualTo("hello");

        Cli text = Cli.run("info", torrent.toString());
        assertThat(text.out()).contains("name:         share", "tier 0: http://127.0.0.1:1/announce",
                "tier 1: udp://127.0.0.1:3", "share/one.bin", "private:      yes");

        Cli verify = Cli.run("verify", torrent.toString(), "-d", tmp.toString());
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("8/8 pieces good", "complete and correct");
    }

    @Test
    void v2AndHybridTorrentsAreMadeShownAndVerified() throws Exception {
        randomFile("v2share/one.bin", 70_000, 5);
        randomFile("v2share/deep/two.bin", 50_000, 6);
        Path hybrid = tmp.resolve("hybrid.torrent");
        Cli create = Cli.run("create", "--hybrid", tmp.resolve("v2share").toString(), "-o", hybrid.toString(), "--piece-size", "32K");
        assertThat(create.status()).as(create.err()).isZero();
        assertThat(create.out()).contains("info-hash:", "v2 hash:");
        JsonNode json = new ObjectMapper().readTree(Cli.run("info", hybrid.toString(), "--json").out());
        assertThat(json.get("version").asText()).isEqualTo("hybrid");
        assertThat(json.get("infoHash").asText()).hasSize(40);
        assertThat(json.get("infoHashV2").asText()).hasSize(64);
        assertThat(json.get("dataSize").asLong()).isEqualTo(120_000);
        assertThat(json.get("totalSize").asLong()).as("with the pads that align files to pieces").isGreaterThan(120_000);
        assertThat(json.get("files")).hasSize(2); // pads are not shown
        assertThat(json.get("magnet").asText()).contains("urn:btih:", "urn:btmh:1220");
        assertThat(json.get("magnetV1").asText()).doesNotContain("btmh");
        assertThat(json.get("magnetV2").asText()).doesNotContain("btih");
        assertThat(Cli.run("verify", hybrid.toString(), "-d", tmp.toString()).out()).contains("complete and correct");

        Path v2 = tmp.resolve("v2.torrent");
        assertThat(Cli.run("create", "--v2", tmp.resolve("v2share").toString(), "-o", v2.toString()).status()).isZero();
        Cli text = Cli.run("info", v2.toString());
        assertThat(text.out()).contains("version:      v2", "info-hash v2: ", "size:         117 KiB (120000 bytes; 147456 with padding)")
                .doesNotContain("info-hash:    ");
        Files.write(tmp.resolve("v2share/one.bin"), new byte[70_000]); // same size, wrong data
        Cli bad = Cli.run("verify", v2.toString(), "-d", tmp.toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.out()).contains("one.bin");
        assertThat(Cli.run("create", "--v2", "--hybrid", tmp.resolve("v2share").toString()).err()).contains("exclude each other");
    }

    @Test
    void verifyReportsBadAndMissingFilesWithExitStatus1() throws Exception {
        randomFile("d/a", 40_000, 3);
        randomFile("d/b", 40_000, 4);
        Path torrent = tmp.resolve("d.torrent");
        assertThat(Cli.run("create", tmp.resolve("d").toString(), "-o", torrent.toString(), "--piece-size", "16384").status()).isZero();
        Files.delete(tmp.resolve("d/a"));
        Cli verify = Cli.run("verify", torrent.toString(), "-d", tmp.toString());
        assertThat(verify.status()).isEqualTo(1);
        assertThat(verify.out()).contains("missing", "d/a", "INCOMPLETE");
    }

    @Test
    void aBareJtorrentNamesEveryCommand() {
        Cli bare = Cli.run();
        assertThat(bare.status()).isEqualTo(2);
        assertThat(bare.err()).contains("create", "info", "verify", "download", "seed", "demo", "simulate", "tracker", "dht", "daemon");
        // each command's summary in --help is a whole sentence, not cut mid-sentence
        Cli help = Cli.run("--help");
        String[] lines = help.out().split("\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.matches("(create|info|verify|download|demo|simulate|tracker|dht|seed|daemon) .*")) {
                String summary = l;
                // a summary wrapped onto indented lines continues there
                for (int k = i + 1; k < lines.length && lines[k].startsWith("              "); k++) {
                    summary += " " + lines[k].strip();
                }
                assertThat(summary).as(l).endsWith(".");
            }
        }
    }

    @Test
    void magnetLinksAreShown() {
        Cli info = Cli.run("info", "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=demo&tr=udp%3A%2F%2F127.0.0.1%3A1", "--json");
        assertThat(info.status()).as(info.err()).isZero();
        assertThat(info.out()).contains("\"name\" : \"demo\"", "c12fe1c06bba254a9dc9f519b335aa7c1367a88a", "udp://127.0.0.1:1");
    }

    @Test
    void badUsageAndBadInputExitWith2AndOneLine() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.torrent"), "this is not bencode");
        for (String[] args : new String[][] {
                {"info", junk.toString()},
                {"info", tmp.resolve("missing.torrent").toString()},
                {"info", "magnet:?dn=nohash"},
                {"verify", junk.toString(), "-d", tmp.toString()},
                {"create", tmp.resolve("nothing-here").toString()},
                {"create", junk.toString(), "--piece-size", "1000", "-o", tmp.resolve("x.torrent").toString()},
                {"bogus-command"},
                {"info"},
                {},
        }) {
            Cli r = Cli.run(args);
            assertThat(r.status()).as(String.join(" ", args) + " -> " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("jtorrent").doesNotContain("\tat ");
        }
        Cli junkInfo = Cli.run("info", junk.toString());
        assertThat(junkInfo.err().lines().count()).isEqualTo(1);
        assertThat(junkInfo.err()).contains("not a valid torrent file", "at byte 0");
        Cli debug = Cli.run("info", junk.toString(), "--debug");
        assertThat(debug.err()).contains("\tat ");
        Files.writeString(tmp.resolve("d1"), "some data");
        Path t = tmp.resolve("d1.torrent");
        assertThat(Cli.run("create", tmp.resolve("d1").toString(), "-o", t.toString()).status()).isZero();
        Cli enc = Cli.run("download", t.toString(), "-d", tmp.resolve("out").toString(), "--encryption", "sometimes",
                "--no-dht", "--port", "0");
        assertThat(enc.status()).isEqualTo(2);
        assertThat(enc.err()).contains("--encryption", "required, preferred or tolerated").doesNotContain("\tat ");
    }

    @Test
    void createRefusesToOverwriteUnlessForced() throws Exception {
        Path f = randomFile("f", 1000, 5);
        Path out = tmp.resolve("f.torrent");
        assertThat(Cli.run("create", f.toString(), "-o", out.toString()).status()).isZero();
        assertThat(Cli.run("create", f.toString(), "-o", out.toString()).status()).isEqualTo(2);
        assertThat(Cli.run("create", f.toString(), "-o", out.toString(), "--force").status()).isZero();
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"create", "info", "verify"}) {
            Cli help = Cli.run(command, "--help");
            assertThat(help.status()).isZero();
            assertThat(help.out()).contains("Usage: jtorrent " + command);
        }
        assertThat(Cli.run("--help").out()).contains("create", "info", "verify");
    }

    @Test
    void sizesParseAndFormat() {
        assertThat(Sizes.parse("256K")).isEqualTo(262144);
        assertThat(Sizes.parse("1MiB")).isEqualTo(1 << 20);
        assertThat(Sizes.parse("16384")).isEqualTo(16384);
        assertThat(Sizes.format(1536)).isEqualTo("1.50 KiB");
        assertThat(Sizes.format(16384)).isEqualTo("16 KiB");
        assertThat(new ProgressBar(null, true, "x", () -> 0).render(50, 100, 1_000_000_000L))
                .startsWith("x [###############...............]  50%");
    }

    @Test
    void sizesAreFormattedAsPrintfWould() {
        // Sizes.format rounds without a Formatter (start-up time): the same text as %.0f/%.1f/%.2f
        Random random = new Random(9);
        for (int i = 0; i < 20_000; i++) {
            long bytes = i < 4096 ? 1024 + i * 7L : (long) Math.exp(random.nextDouble() * Math.log(1L << 52));
            double v = bytes;
            int u = -1;
            while (v >= 1024 && u < 4) {
                v /= 1024;
                u++;
            }
            String pattern = v == Math.rint(v) || v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s";
            String expected = bytes < 1024 ? bytes + " B"
                    : String.format(java.util.Locale.ROOT, pattern, v, new String[] {"KiB", "MiB", "GiB", "TiB", "PiB"}[u]);
            assertThat(Sizes.format(bytes)).as("%d bytes", bytes).isEqualTo(expected);
        }
    }

    @Test
    void theStartUpCacheTrainingRunsCreateThenInfo() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("training"));
        assertThat(CacheTraining.train(dir)).isZero();
        assertThat(dir.resolve("t.torrent")).exists();
        Cli info = Cli.run("info", dir.resolve("t.torrent").toString());
        assertThat(info.out()).contains("1 MiB (1048576 bytes)", "64 x 16 KiB");
    }

    @Test
    void theDaemonsCacheTrainingRunsADaemonThatTakesATorrentThroughItsRpcAndCloses() throws Exception {
        // a quote and a backslash in the path: the training writes its requests' JSON by hand
        Path dir = Files.createDirectories(tmp.resolve("daemon \"training\" \\ here"));
        assertThat(CacheTraining.jsonString("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\u000a\"");
        assertThat(CacheTraining.trainDaemon(dir)).isZero(); // zero only once every answer was a success and the daemon closed
        try (var files = Files.walk(dir.resolve("config"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).contains("settings.json")
                    .anyMatch(n -> n.endsWith(".torrent")); // the torrent it was given, kept in its state
        }
    }

    @Test
    void infoWithoutTheParserPrintsWhatTheParserPathPrintsAndDeclinesAnythingElse() throws Exception {
        randomFile("fast/one.bin", 70_000, 21);
        randomFile("fast/deep/two.bin", 50_000, 22);
        Path v1 = tmp.resolve("v1.torrent");
        Path hybrid = tmp.resolve("h.torrent");
        assertThat(Cli.run("create", tmp.resolve("fast").toString(), "-o", v1.toString(), "-t", "udp://127.0.0.1:3",
                "--comment", "c").status()).isZero();
        assertThat(Cli.run("create", "--hybrid", tmp.resolve("fast").toString(), "-o", hybrid.toString()).status()).isZero();
        String magnet = "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=demo&tr=udp%3A%2F%2F127.0.0.1%3A1";
        for (String source : new String[] {v1.toString(), hybrid.toString(), magnet}) {
            for (String[] args : new String[][] {{"info", source}, {"info", source, "--json"}, {"info", "--json", source}}) {
                java.io.StringWriter fast = new java.io.StringWriter();
                assertThat(InfoCommand.plain(new java.io.PrintWriter(fast), args)).as(String.join(" ", args)).isEqualTo(ExitCode.OK);
                // --debug takes the parser's path and changes nothing in what info prints
                String[] parsed = java.util.Arrays.copyOf(args, args.length + 1);
                parsed[args.length] = "--debug";
                Cli slow = Cli.run(parsed);
                assertThat(slow.status()).isZero();
                assertThat(fast.toString()).as(String.join(" ", args)).isNotEmpty().isEqualTo(slow.out());
            }
        }
        Path junk = Files.write(tmp.resolve("junk.torrent"), new byte[] {'d', '4'});
        java.io.StringWriter none = new java.io.StringWriter();
        for (String[] args : new String[][] {{"info", junk.toString()}, {"info", tmp.resolve("missing.torrent").toString()},
                {"info", "magnet:?dn=nohash"}, {"info", v1.toString(), "--help"}, {"info", "@" + v1}, {"info"},
                {"info", v1.toString(), v1.toString()}, {"info", v1.toString(), "--json", "--json"}, {"verify", v1.toString()},
                {"info", magnet, "--fetch"}, {"info", "--", v1.toString()}}) {
            assertThat(InfoCommand.plain(new java.io.PrintWriter(none), args)).as(String.join(" ", args)).isNull();
        }
        assertThat(none.toString()).isEmpty();
        // and those still get the parser's answers
        Cli junkInfo = Cli.run("info", junk.toString());
        assertThat(junkInfo.status()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(junkInfo.out()).isEmpty();
        assertThat(Cli.run("info", v1.toString(), "--help").out()).contains("--json", "--fetch");
    }

    @Test
    void createWithoutTheParserMakesWhatTheParserPathMakesAndDeclinesAnythingElse() throws Exception {
        randomFile("plain/one.bin", 70_000, 31);
        randomFile("plain/deep/two.bin", 50_000, 32);
        String src = tmp.resolve("plain").toString();
        String[][] forms = {
            {"create", src, "-o", "OUT", "--no-date"},
            {"create", "--piece-size", "16K", src, "--output=OUT", "--threads", "1", "--no-date", "-f"},
            {"create", src, "-o", "OUT", "-t", "udp://127.0.0.1:3,http://127.0.0.1:4/announce", "-t", "http://127.0.0.1:5/a",
                "-w", "http://127.0.0.1:6/", "-c", "a comment", "-s", "src", "--private", "--no-date"},
            {"create", src, "-o", "OUT", "--hybrid", "--piece-size=32K", "--no-date"},
            {"create", src, "-o", "OUT", "--v2", "--no-date", "--force"},
        };
        for (String[] form : forms) {
            String[] fast = form.clone();
            String[] parsed = java.util.Arrays.copyOf(form, form.length + 1);
            parsed[form.length] = "--debug"; // takes the parser's path and changes nothing in what create makes
            Path a = tmp.resolve("fast.torrent");
            Path b = tmp.resolve("parsed.torrent");
            for (int i = 0; i < form.length; i++) {
                fast[i] = form[i].replace("OUT", a.toString());
                parsed[i] = form[i].replace("OUT", b.toString());
            }
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            assertThat(CreateCommand.plain(new java.io.PrintWriter(out), new java.io.PrintWriter(err), fast))
                    .as(String.join(" ", form)).isEqualTo(ExitCode.OK);
            Cli slow = Cli.run(parsed);
            assertThat(slow.status()).as(slow.err()).isZero();
            assertThat(Files.readAllBytes(a)).as(String.join(" ", form)).isEqualTo(Files.readAllBytes(b));
            java.util.function.Function<String, String> steady = o -> o.replace(a.toString(), "OUT").replace(b.toString(), "OUT")
                    .replaceAll("hashed in: .*", "hashed in");
            assertThat(steady.apply(out.toString())).isNotEmpty().isEqualTo(steady.apply(slow.out()));
            Files.delete(a);
            Files.delete(b);
        }
        Path exists = Files.writeString(tmp.resolve("exists.torrent"), "x");
        java.io.StringWriter none = new java.io.StringWriter();
        for (String[] args : new String[][] {{"create"}, {"create", src, "--help"}, {"create", "@" + src}, {"create", src, src},
                {"create", src, "-o", exists.toString()}, {"create", tmp.resolve("missing").toString()},
                {"create", src, "--threads", "0"}, {"create", src, "--threads", "x"},
                {"create", src, "--v2", "--hybrid"}, {"create", src, "--force", "--force"}, {"create", src, "-o"},
                {"create", src, "--comment", "-x"}, {"create", src, "--debug"}, {"create", src, "-fo", "x"},
                {"create", "--", src}, {"create", src, "--no-date=true"}, {"info", src}}) {
            assertThat(CreateCommand.plain(new java.io.PrintWriter(none), new java.io.PrintWriter(none), args))
                    .as(String.join(" ", args)).isNull();
        }
        assertThat(none.toString()).isEmpty();
        assertThat(Files.readString(exists)).as("nothing written by a declined create").isEqualTo("x");
        // a piece size the builder refuses: the same line and status on both paths, no torrent written
        java.io.StringWriter badErr = new java.io.StringWriter();
        String odd = tmp.resolve("odd.torrent").toString();
        assertThat(CreateCommand.plain(new java.io.PrintWriter(none), new java.io.PrintWriter(badErr), "create", src, "-o", odd,
                "--piece-size", "3K")).isEqualTo(ExitCode.BAD_INPUT);
        Cli oddParsed = Cli.run("create", src, "-o", odd, "--piece-size", "3K", "--debug");
        assertThat(oddParsed.status()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(badErr.toString()).contains("--piece-size").isEqualTo(oddParsed.err().lines().findFirst().orElseThrow() + "\n");
        assertThat(tmp.resolve("odd.torrent")).doesNotExist();
        // and those still get the parser's answers
        Cli refused = Cli.run("create", src, "-o", exists.toString());
        assertThat(refused.status()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(refused.err()).contains("already exists");
    }

    @Test
    void creationDatesPrintAsInstantPrintsThem() {
        java.util.Random r = new java.util.Random(7);
        long[] edges = {0, 1, -1, 59, 86_399, 951_782_400, -62135596800L, 253402300799L, -62135596801L, 253402300800L};
        for (long s : edges) {
            java.time.Instant t = java.time.Instant.ofEpochSecond(s);
            assertThat(InfoCommand.isoInstant(t)).isEqualTo(t.toString());
        }
        for (int i = 0; i < 20_000; i++) {
            java.time.Instant t = java.time.Instant.ofEpochSecond(r.nextLong(-62135596800L, 253402300800L));
            assertThat(InfoCommand.isoInstant(t)).isEqualTo(t.toString());
        }
        java.time.Instant nanos = java.time.Instant.ofEpochSecond(5, 120);
        assertThat(InfoCommand.isoInstant(nanos)).isEqualTo(nanos.toString());
    }
}
