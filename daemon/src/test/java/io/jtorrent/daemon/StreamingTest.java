package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import io.jtorrent.testkit.RpcClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /files/HASH/PATH} with Range requests while the torrent still downloads from a slow
 * seeder: the pieces under the range come first, and the bytes are right.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StreamingTest {
    @TempDir
    Path tmp;

    @Test
    void rangesOfAFileStillDownloadingComeBackRight() throws Exception {
        Path seedDir = Files.createDirectories(tmp.resolve("seed"));
        byte[] data = new byte[6_000_000];
        new Random(8).nextBytes(data);
        Files.write(seedDir.resolve("clip.mp4"), data);
        Metainfo m = TorrentBuilder.from(seedDir.resolve("clip.mp4")).pieceLength(32768).build().metainfo();
        HttpClient http = HttpClient.newHttpClient();
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress())
                .uploadLimit(200_000).build());
             Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            TorrentHandle seed = seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(m.toTorrentFile())));
            seed.addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);
            String url = "http://127.0.0.1:" + d.rpcPort() + "/files/" + m.infoHash().hex() + "/clip.mp4";

            for (long[] range : List.of(new long[] {4_500_000, 4_599_999}, new long[] {123_456, 300_000})) {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                        .header("Range", "bytes=" + range[0] + "-" + range[1]).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).isEqualTo(206);
                assertThat(r.headers().firstValue("Content-Range")).contains("bytes " + range[0] + "-" + range[1] + "/" + data.length);
                assertThat(r.body()).isEqualTo(Arrays.copyOfRange(data, (int) range[0], (int) range[1] + 1));
            }
            // still downloading: at 200 kB/s the whole file takes half a minute; the ranges took seconds
            JsonNode t = rpc.call("torrent-get", Map.of("fields", List.of("percentDone"))).get("arguments").get("torrents").get(0);
            assertThat(t.get("percentDone").asDouble()).isLessThan(0.9);
            // the end of the file, by suffix
            HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Range", "bytes=-1000").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(data, data.length - 1000, data.length));
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=9000000-").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(416);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
    }
}
