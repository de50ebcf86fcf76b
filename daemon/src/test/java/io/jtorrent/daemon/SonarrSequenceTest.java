package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.testkit.RpcClient;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calls Sonarr's and Radarr's Transmission download client makes (their TransmissionProxy),
 * in their order, with the JSON types their TransmissionTorrent model parses: the session id from
 * an empty request, session-get for the download directory, version and seeding limits,
 * torrent-add with a download directory and labels (by file and by magnet link), torrent-get by
 * hash with their fields while downloading and once seeding (they remove a torrent by its
 * secondsSeeding), torrent-set of the seed limits, queue-move-top, torrent-remove with its data.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SonarrSequenceTest {
    /** The fields their GetTorrents asks for (both spellings of the file count, as they send them). */
    private static final List<String> FIELDS = List.of("id", "hashString", "name", "downloadDir", "totalSize", "leftUntilDone",
            "isFinished", "eta", "status", "secondsDownloading", "secondsSeeding", "errorString", "uploadedEver", "downloadedEver",
            "seedRatioLimit", "seedRatioMode", "seedIdleLimit", "seedIdleMode", "fileCount", "file-count", "labels");

    @TempDir
    Path tmp;

    private static JsonNode ok(JsonNode answer) {
        assertThat(answer.get("result").asText()).isEqualTo("success");
        return answer.get("arguments");
    }

    /** What their model's types accept: Newtonsoft reads ints and longs from integral numbers only. */
    private static void assertTypes(JsonNode t) {
        for (String integral : List.of("id", "totalSize", "leftUntilDone", "eta", "status", "secondsDownloading", "secondsSeeding",
                "uploadedEver", "downloadedEver", "seedRatioMode", "seedIdleLimit", "seedIdleMode", "fileCount", "file-count")) {
            assertThat(t.get(integral)).as(integral).isNotNull();
            assertThat(t.get(integral).isIntegralNumber()).as(integral + " is an integer").isTrue();
        }
        for (String text : List.of("hashString", "name", "downloadDir", "errorString")) {
            assertThat(t.get(text).isTextual()).as(text + " is a string").isTrue();
        }
        assertThat(t.get("isFinished").isBoolean()).isTrue();
        assertThat(t.get("seedRatioLimit").isNumber()).isTrue();
        assertThat(t.get("labels").isArray()).isTrue();
        assertThat(t.get("status").asInt()).isBetween(0, 6);
    }

    @Test
    void sonarrsCallsInTheirOrderWithTheirTypes() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo episode = Metainfo.parse(TestData.torrent(seedDir, "Show.S01E01.1080p", 61, 32768, 1_500_000, 2_000));
        Metainfo other = Metainfo.parse(TestData.torrent(seedDir, "Show.S01E02.1080p", 62, 32768, 400_000));
        Path tv = Files.createDirectories(tmp.resolve("downloads/tv-sonarr"));
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress())
                .uploadLimit(1_000_000).build());
             Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            seeder.add(AddTorrentParams.builder(episode, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            seeder.add(AddTorrentParams.builder(other, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            RpcClient rpc = new RpcClient(d.rpcPort(), null);

            // GetSessionId: a bare POST, answered 409 with the id
            HttpResponse<String> bare = rpc.raw("/transmission/rpc", "POST", "", false);
            assertThat(bare.statusCode()).isEqualTo(409);
            assertThat(bare.headers().firstValue("X-Transmission-Session-Id")).isPresent();

            // GetConfig / GetVersion
            JsonNode config = ok(rpc.post("{\"method\":\"session-get\"}")); // no arguments at all, as they send it
            assertThat(config.get("download-dir").isTextual()).isTrue();
            assertThat(config.get("version").isTextual()).isTrue();
            assertThat(config.get("rpc-version").isIntegralNumber()).isTrue();
            assertThat(config.get("seedRatioLimit").isNumber()).isTrue();
            assertThat(config.get("seedRatioLimited").isBoolean()).isTrue();
            assertThat(config.get("idle-seeding-limit").isIntegralNumber()).isTrue();
            assertThat(config.get("idle-seeding-limit-enabled").isBoolean()).isTrue();

            // AddTorrentFromData, then AddTorrentFromUrl with a magnet link
            JsonNode added = ok(rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(episode.toTorrentFile()),
                    "download-dir", tv.toString(), "paused", false, "labels", List.of("tv-sonarr"))));
            String hash = added.get("torrent-added").get("hashString").asText();
            assertThat(hash).isEqualTo(episode.infoHash().hex());
            String magnet = "magnet:?xt=urn:btih:" + other.infoHash().hex() + "&dn=Show.S01E02.1080p&x.pe=127.0.0.1:"
                    + seeder.listenPort();
            ok(rpc.call("torrent-add", Map.of("filename", magnet, "download-dir", tv.toString(), "labels", List.of("tv-sonarr"))));
            seeder.torrents().forEach(h -> h.addPeer(new java.net.InetSocketAddress("127.0.0.1", d.peerPort())));

            // SetTorrentSeedingConfiguration and MoveTorrentToTopInQueue, by hash
            ok(rpc.call("torrent-set", Map.of("ids", List.of(hash), "seedRatioLimit", 1.0, "seedRatioMode", 1,
                    "seedIdleLimit", 60, "seedIdleMode", 1)));
            ok(rpc.call("queue-move-top", Map.of("ids", List.of(hash))));

            // GetTorrents: polled while downloading, then until seeding for a while
            JsonNode first = ok(rpc.call("torrent-get", Map.of("fields", FIELDS))).get("torrents");
            assertThat(first).hasSize(2);
            first.forEach(SonarrSequenceTest::assertTypes);
            TestData.await(Duration.ofSeconds(60), "both downloaded and seeding for a second", () -> {
                try {
                    JsonNode ts = ok(rpc.call("torrent-get", Map.of("fields", FIELDS))).get("torrents");
                    boolean done = true;
                    for (JsonNode t : ts) {
                        done &= t.get("leftUntilDone").asLong() == 0 && t.get("secondsSeeding").asLong() >= 1;
                    }
                    return done;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            JsonNode t = ok(rpc.call("torrent-get", Map.of("ids", List.of(hash), "fields", FIELDS))).get("torrents").get(0);
            assertTypes(t);
            assertThat(t.get("hashString").asText()).isEqualTo(hash);
            assertThat(t.get("downloadDir").asText()).isEqualTo(tv.toString());
            assertThat(t.get("totalSize").asLong()).isEqualTo(episode.info().totalLength());
            assertThat(t.get("status").asInt()).isEqualTo(TorrentFields.SEED);
            assertThat(t.get("secondsDownloading").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(t.get("seedRatioLimit").asDouble()).isEqualTo(1.0);
            assertThat(t.get("seedRatioMode").asInt()).isEqualTo(1);
            assertThat(t.get("seedIdleLimit").asInt()).isEqualTo(60);
            assertThat(t.get("fileCount").asInt()).isEqualTo(2);
            assertThat(t.get("labels").get(0).asText()).isEqualTo("tv-sonarr");
            TestData.assertSameTree(seedDir.resolve("Show.S01E01.1080p"), tv.resolve("Show.S01E01.1080p"));

            // RemoveTorrent with its data, once imported
            ok(rpc.call("torrent-remove", Map.of("ids", List.of(hash), "delete-local-data", true)));
            TestData.await(Duration.ofSeconds(20), "the data deleted", () -> !Files.exists(tv.resolve("Show.S01E01.1080p")));
            assertThat(ok(rpc.call("torrent-get", Map.of("fields", FIELDS))).get("torrents")).hasSize(1);
        }
    }
}
