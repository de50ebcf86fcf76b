package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.engine.AddTorrentParams;
import io.jtorrent.engine.Session;
import io.jtorrent.engine.Settings;
import io.jtorrent.engine.TorrentHandle;
import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.testkit.RpcClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in a real browser (Debian's headless Chromium through chromedriver): it loads, a
 * magnet link typed into it is added and completes from a seeder on 127.0.0.1, the detail pane
 * draws the piece map; a screenshot is saved to {@code target/web-ui.png}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WebUiTest {
    @TempDir
    Path tmp;

    @Test
    void addAMagnetInTheBrowserAndSeeItComplete() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo film = Metainfo.parse(TestData.torrent(seedDir, "Open Movie Collection", 3, 32768, 2_000_000, 900_000, 1_200_000));
        Metainfo slow = Metainfo.parse(TestData.torrent(seedDir, "Linux ISO mirror", 4, 32768, 8_000_000));
        Metainfo paused = Metainfo.parse(TestData.torrent(seedDir, "Podcast archive", 5, 16384, 600_000));
        try (Session seeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).build());
             Session slowSeeder = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress())
                     .uploadLimit(100_000).build());
             Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null));
             WebDriver browser = new WebDriver(Files.createDirectories(tmp.resolve("browser")))) {
            seeder.add(AddTorrentParams.builder(film, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle slowSeed = slowSeeder.add(AddTorrentParams.builder(slow, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(slow.toTorrentFile())));
            rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(paused.toTorrentFile()), "paused", true));
            slowSeed.addPeer(new InetSocketAddress("127.0.0.1", d.peerPort())).get(5, TimeUnit.SECONDS);

            browser.open("http://127.0.0.1:" + d.rpcPort() + "/");
            TestData.await(Duration.ofSeconds(20), "the list", () -> text(browser).contains("Podcast archive"));
            String magnet = "magnet:?xt=urn:btih:" + film.infoHash().hex() + "&dn=Open+Movie+Collection&x.pe=127.0.0.1:"
                    + seeder.listenPort();
            browser.type("#link", magnet);
            browser.click("#add");
            TestData.await(Duration.ofSeconds(60), "the magnet to complete in the page", () -> {
                String row = browser.script("return [...document.querySelectorAll('.row')].map(r => r.innerText)"
                        + ".find(t => t.includes('Open Movie Collection')) || ''").asText();
                return row.contains("100.0%") && (row.contains("Seeding"));
            });
            TestData.assertSameTree(seedDir.resolve("Open Movie Collection"), tmp.resolve("downloads/Open Movie Collection"));
            // the slow one downloading, its piece map drawn
            TestData.await(Duration.ofSeconds(30), "the slow download under way", () -> {
                String row = browser.script("return [...document.querySelectorAll('.row')].map(r => r.innerText)"
                        + ".find(t => t.includes('Linux ISO')) || ''").asText();
                return row.contains("Downloading") && !row.contains(" 0.0%");
            });
            browser.script("[...document.querySelectorAll('.row')].find(r => r.innerText.includes('Linux ISO')).click()");
            TestData.await(Duration.ofSeconds(10), "the piece map", () -> browser.script(
                    "const c = document.getElementById('map'); return c != null && c.width > 1").asBoolean());
            // the other tabs: files and peers of the selected torrent
            browser.click("[data-tab=files]");
            TestData.await(Duration.ofSeconds(10), "the file list", () -> text(browser).contains("part0.bin"));
            browser.click("[data-tab=peers]");
            TestData.await(Duration.ofSeconds(10), "the peer list", () -> text(browser).contains("127.0.0.1:"));
            browser.click("[data-tab=pieces]");
            TestData.await(Duration.ofSeconds(10), "the piece map again", () -> browser.script(
                    "const c = document.getElementById('map'); return c != null && c.width > 1").asBoolean());
            Thread.sleep(1500); // one more refresh of rates and the map, for the picture
            Path shot = Path.of("target", "web-ui.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, browser.screenshot());
            assertThat(Files.size(shot)).isGreaterThan(10_000);
        }
    }

    private static String text(WebDriver b) {
        try {
            return b.script("return document.body.innerText").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
