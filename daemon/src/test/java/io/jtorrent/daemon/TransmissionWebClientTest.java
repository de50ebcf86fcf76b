package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Transmission's own web client (Debian's transmission-daemon ships it under
 * /usr/share/transmission/web) served by the daemon with a web home: it loads in Chromium, lists
 * the daemon's torrents and adds a magnet link that then completes from a seeder on 127.0.0.1.
 * Also: nothing outside the web home is served, and {@code /} sends the browser to the client.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TransmissionWebClientTest {
    private static final Path TRANSMISSION_WEB = Path.of("/usr/share/transmission/web");

    @TempDir
    Path tmp;

    private Daemon.Options withWebHome(Path home) {
        Daemon.Options o = DaemonRpcTest.options(tmp, null);
        return new Daemon.Options(o.configDir(), o.downloadDir(), null, o.rpcBind(), 0, null, o.session(),
                Daemon.Security.defaults().withWebHome(home));
    }

    @Test
    void onlyTheWebHomesFilesAreServed() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home/sub"));
        Files.writeString(home.resolveSibling("index.html"), "<h1>other client</h1>");
        Files.writeString(home.resolve("app.js"), "console.log(1)");
        Files.writeString(tmp.resolve("secret.txt"), "not for the web");
        Files.createSymbolicLink(home.resolve("escape.txt"), tmp.resolve("secret.txt"));
        Files.write(home.resolve("huge.bin"), new byte[(int) WebHome.MAX_FILE + 1]); // past the bound: not served from memory
        try (Daemon d = Daemon.start(withWebHome(tmp.resolve("home")))) {
            RpcClient c = new RpcClient(d.rpcPort(), null);
            HttpResponse<String> root = c.raw("/", "GET", null, false);
            assertThat(root.statusCode()).isEqualTo(301);
            assertThat(root.headers().firstValue("Location")).hasValue("/transmission/web/");
            HttpResponse<String> index = c.raw("/transmission/web/", "GET", null, false);
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.body()).contains("other client");
            assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            HttpResponse<String> js = c.raw("/transmission/web/sub/app.js", "GET", null, false);
            assertThat(js.body()).isEqualTo("console.log(1)");
            assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
            for (String outside : List.of("/transmission/web/../../secret.txt", "/transmission/web/sub/escape.txt",
                    "/transmission/web/%2e%2e/%2e%2e/secret.txt", "/transmission/web/nothing.js", "/transmission/web/sub/huge.bin")) {
                HttpResponse<String> r = c.raw(outside, "GET", null, false);
                assertThat(r.statusCode()).as(outside).isEqualTo(404);
                assertThat(r.body()).doesNotContain("not for the web");
            }
            assertThat(c.call("session-get", Map.of()).get("result").asText()).as("the RPC is where it was").isEqualTo("success");
        }
    }

    @Test
    void transmissionsWebClientListsTorrentsAndAddsAMagnet() throws Exception {
        io.jtorrent.testkit.ExternalProgram.requireFile(TRANSMISSION_WEB.resolve("index.html"), "transmission-daemon");
        Path seedDir = tmp.resolve("seed");
        Metainfo listed = Metainfo.parse(TestData.torrent(seedDir, "Podcast archive", 5, 16384, 300_000));
        Metainfo film = Metainfo.parse(TestData.torrent(seedDir, "Open Movie Collection", 3, 32768, 900_000, 400_000));
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build());
             Daemon d = Daemon.start(withWebHome(TRANSMISSION_WEB));
             WebDriver browser = new WebDriver(Files.createDirectories(tmp.resolve("browser")))) {
            seeder.add(AddTorrentParams.builder(film, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(listed.toTorrentFile()), "paused", true));

            browser.open("http://127.0.0.1:" + d.rpcPort() + "/");
            TestData.await(Duration.ofSeconds(30), "Transmission's client listing the torrent", () ->
                    browser.script("const l = document.getElementById('torrent_list'); return l ? l.innerText : ''")
                            .asText().contains("Podcast archive"));
            String magnet = "magnet:?xt=urn:btih:" + film.infoHash().hex() + "&dn=Open+Movie+Collection&x.pe=127.0.0.1:"
                    + seeder.listenPort();
            browser.click("#toolbar-open");
            TestData.await(Duration.ofSeconds(10), "the open dialog", () ->
                    browser.script("return getComputedStyle(document.getElementById('upload_container')).display != 'none'").asBoolean());
            browser.type("#torrent_upload_url", magnet);
            browser.click("#upload_confirm_button");
            TestData.await(Duration.ofSeconds(60), "the magnet complete, as Transmission's client shows it", () -> {
                String list = browser.script("return document.getElementById('torrent_list').innerText").asText();
                return list.contains("Open Movie Collection") && list.contains("Seeding");
            });
            TestData.assertSameTree(seedDir.resolve("Open Movie Collection"), tmp.resolve("downloads/Open Movie Collection"));
            Path shot = Path.of("target", "transmission-web-client.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, browser.screenshot());
        }
    }
}
