package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtorrent.testkit.RpcClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * rpc-version 18 (Transmission 4.1): snake_case methods, arguments and fields beside the old
 * names, answered in the style asked; the fields version 17 and 18 added; and every name the RPC
 * answers with is one it also reads in snake_case.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DaemonSnakeCaseTest {
    @TempDir
    Path tmp;

    @Test
    void snakeCaseRequestsGetSnakeCaseAnswersAndOldOnesOldAnswers() throws Exception {
        Path seedDir = tmp.resolve("seed");
        byte[] torrent = TestData.torrent(seedDir, "film", 51, 16384, 70_000, 20_000);
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            JsonNode added = rpc.call("torrent_add", Map.of("metainfo", Base64.getEncoder().encodeToString(torrent),
                    "paused", true, "download_dir", tmp.resolve("downloads").toString(), "bandwidth_priority", 1));
            assertThat(added.get("result").asText()).isEqualTo("success");
            assertThat(added.get("arguments").has("torrent_added")).isTrue();
            assertThat(added.get("arguments").get("torrent_added").get("hash_string").asText()).hasSize(40);

            assertThat(rpc.call("torrent_set", Map.of("ids", List.of(1), "sequential_download", true, "seed_ratio_limit", 1.25,
                    "peer_limit", 9)).get("result").asText()).isEqualTo("success");
            JsonNode t = rpc.call("torrent_get", Map.of("ids", List.of(1), "fields", List.of("hash_string", "download_dir",
                    "sequential_download", "seed_ratio_limit", "bandwidth_priority", "peer_limit", "files", "file_count",
                    "primary_mime_type", "eta_idle", "percent_done"))).get("arguments").get("torrents").get(0);
            assertThat(t.get("hash_string").asText()).hasSize(40);
            assertThat(t.get("download_dir").asText()).isEqualTo(tmp.resolve("downloads").toString());
            assertThat(t.get("sequential_download").asBoolean()).isTrue();
            assertThat(t.get("seed_ratio_limit").asDouble()).isEqualTo(1.25);
            assertThat(t.get("bandwidth_priority").asInt()).isEqualTo(1);
            assertThat(t.get("peer_limit").asInt()).isEqualTo(9);
            assertThat(t.get("file_count").asInt()).isEqualTo(2);
            assertThat(t.get("eta_idle").asInt()).as("not seeding").isEqualTo(-1);
            JsonNode f0 = t.get("files").get(0);
            assertThat(f0.get("bytes_completed").asLong()).isZero();
            assertThat(f0.get("begin_piece").asInt()).isZero();
            assertThat(f0.get("end_piece").asInt()).as("70,000 bytes in 16 KiB pieces").isEqualTo(5);
            assertThat(t.get("files").get(1).get("begin_piece").asInt()).isEqualTo(4);

            JsonNode old = rpc.call("torrent-get", Map.of("ids", List.of(1), "fields", List.of("hashString", "sequentialDownload",
                    "file-count", "primary-mime-type"))).get("arguments").get("torrents").get(0);
            assertThat(old.has("hashString")).as("old names answered in old names").isTrue();
            assertThat(old.get("sequentialDownload").asBoolean()).isTrue();
            assertThat(old.get("file-count").asInt()).isEqualTo(2);
            assertThat(old.get("primary-mime-type").asText()).isEqualTo("application/octet-stream");

            assertThat(rpc.call("torrent-get", Map.of("ids", List.of(1), "fields", List.of("id", "noSuchField")))
                    .get("arguments").get("torrents").get(0).has("noSuchField")).as("an unknown field is left out").isFalse();

            JsonNode table = rpc.call("torrent_get", Map.of("ids", List.of(1), "format", "table",
                    "fields", List.of("id", "hash_string", "no_such_field", "file_stats"))).get("arguments").get("torrents");
            assertThat(table.get(0).get(1).asText()).as("a table's header row in the style asked").isEqualTo("hash_string");
            assertThat(table.get(1).size()).as("one value per field").isEqualTo(4);
            assertThat(table.get(1).get(0).asInt()).isEqualTo(1);
            assertThat(table.get(1).get(2).isNull()).as("an unknown field is null in a table").isTrue();
            assertThat(table.get(1).get(3).get(0).get("bytes_completed").asLong())
                    .as("objects inside a table row keep their names, in the style asked").isZero();

            JsonNode s = rpc.call("session_get", Map.of("fields", List.of("rpc_version", "rpc_version_semver", "speed_limit_down",
                    "download_dir", "default_trackers"))).get("arguments");
            assertThat(s.get("rpc_version").asInt()).isEqualTo(18);
            assertThat(s.get("rpc_version_semver").asText()).isEqualTo("5.4.0");
            assertThat(s.has("download_dir")).isTrue();
            assertThat(s.get("default_trackers").asText()).isEmpty();
            assertThat(rpc.call("session_set", Map.of("speed_limit_down", 42, "speed_limit_down_enabled", true))
                    .get("result").asText()).isEqualTo("success");
            assertThat(rpc.call("session-get", Map.of()).get("arguments").get("speed-limit-down").asInt()).isEqualTo(42);
            JsonNode refused = rpc.call("session_set", Map.of("default_trackers", "http://127.0.0.1:1/announce"));
            assertThat(refused.get("result").asText()).as("a setting it cannot apply, refused by name").contains("default-trackers");
            JsonNode unknownMethod = rpc.call("torrent_explode", Map.of());
            assertThat(unknownMethod.get("result").asText()).contains("torrent_explode");

            // every name the RPC answers with, asked in snake_case, comes back (the vocabulary covers them all)
            JsonNode all = rpc.call("session-get", Map.of()).get("arguments");
            List<String> sessionNames = new ArrayList<>();
            all.fieldNames().forEachRemaining(sessionNames::add);
            assertThat(RpcNames.VOCABULARY).containsAll(sessionNames);
            List<String> snakeFields = new ArrayList<>();
            RpcNames.VOCABULARY.forEach(n -> snakeFields.add(RpcNames.snake(n)));
            JsonNode every = rpc.call("torrent_get", Map.of("ids", List.of(1), "fields", snakeFields))
                    .get("arguments").get("torrents").get(0);
            for (String field : List.of("id", "name", "status", "is_private", "upload_ratio", "tracker_stats", "file_stats",
                    "peers_from", "webseeds_sending_to_us", "recheck_progress", "seconds_seeding", "torrent_file",
                    "honors_session_limits", "magnet_link", "availability", "labels")) {
                assertThat(every.has(field)).as(field).isTrue();
            }
        }
    }

    @Test
    void snakeNames() {
        assertThat(RpcNames.snake("hashString")).isEqualTo("hash_string");
        assertThat(RpcNames.snake("isUTP")).isEqualTo("is_utp");
        assertThat(RpcNames.snake("peer-limit-per-torrent")).isEqualTo("peer_limit_per_torrent");
        assertThat(RpcNames.snake("webseedsSendingToUs")).isEqualTo("webseeds_sending_to_us");
        assertThat(RpcNames.old("download_dir", false)).isEqualTo("download-dir");
        assertThat(RpcNames.old("download_dir", true)).isEqualTo("downloadDir");
        assertThat(RpcNames.old("no_such_name", true)).isEqualTo("no_such_name");
    }

    @Test
    void primaryMimeTypeIsTheTypeWithTheMostBytes() {
        var f = (java.util.function.BiFunction<String, Long, io.jtorrent.metainfo.FileEntry>) (name, length) ->
                new io.jtorrent.metainfo.FileEntry(List.of("t", name), length, 0, false, false, false, List.of(), false);
        assertThat(MimeTypes.primary(List.of(f.apply("movie.MKV", 900L), f.apply("a.srt", 5L), f.apply("cover.jpg", 50L))))
                .isEqualTo("video/x-matroska");
        assertThat(MimeTypes.primary(List.of(f.apply("01.flac", 300L), f.apply("02.flac", 300L), f.apply("booklet.pdf", 500L))))
                .isEqualTo("audio/flac");
        assertThat(MimeTypes.primary(List.of(f.apply("data", 10L)))).isEqualTo("application/octet-stream");
    }
}
