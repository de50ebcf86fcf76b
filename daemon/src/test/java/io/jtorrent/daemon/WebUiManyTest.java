package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.testkit.RpcClient;
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
 * Our web UI with 1,000 torrents in Chromium, as a Transmission or qBittorrent web user works it:
 * sorting by a column, filtering by name and by state, selecting several rows and acting on all
 * of them, a confirmation before data is deleted (cancel keeps everything), the settings dialog and
 * the turtle toggle, and adding a .torrent with a directory, paused, one file left out. How long a
 * sort and a filter take is printed (a figure, not an assertion).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class WebUiManyTest {
    private static final int N = 1000;

    @TempDir
    Path tmp;

    /** A torrent of one file whose data is nowhere: it checks at once and stays stopped (also the benchmark's). */
    static byte[] item(int i) {
        long length = 1 + (i * 7919L) % 100_000;
        return BDictionary.builder().put("info", BDictionary.builder().put("name", String.format("Item %04d", i))
                .put("piece length", 16384).put("pieces", new byte[20 * (int) ((length + 16383) / 16384)])
                .put("length", length).build()).build().encode();
    }

    private static int shown(WebDriver b) {
        String totals = b.script("return document.getElementById('totals').textContent").asText();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("· (\\d+) shown").matcher(totals);
        return m.find() ? Integer.parseInt(m.group(1)) : -1; // -1: the page has not drawn the list yet
    }

    private static String firstRowName(WebDriver b) {
        return b.script("const r = [...document.querySelectorAll('.row')].filter(r => r.style.display !== 'none')"
                + ".sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))[0];"
                + "return r ? r.querySelector('.name').textContent : ''").asText();
    }

    @Test
    void aThousandTorrentsSortedFilteredSelectedAndSet() throws Exception {
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null));
             WebDriver browser = new WebDriver(Files.createDirectories(tmp.resolve("browser")))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            for (int i = 0; i < N; i++) {
                JsonNode r = rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(item(i)), "paused", true));
                assertThat(r.get("result").asText()).isEqualTo("success");
            }
            browser.open("http://127.0.0.1:" + d.rpcPort() + "/");
            TestData.await(Duration.ofSeconds(30), "the list of 1,000", () -> shown(browser) == N);
            assertThat(browser.script("return document.querySelectorAll('.row').length").asInt())
                    .as("a virtualised list: rows only for what is in view").isLessThan(100);

            // sort by size, both ways; the smallest is item 0 (1 byte)
            long t0 = System.nanoTime();
            browser.click("[data-k=sizeWhenDone]");
            double sortMs = browser.script("const t = performance.now(); rebuild(); return performance.now() - t").asDouble();
            assertThat(firstRowName(browser)).isEqualTo("Item 0000");
            browser.click("[data-k=sizeWhenDone]");
            assertThat(firstRowName(browser)).as("largest first").isNotEqualTo("Item 0000");
            browser.click("[data-k=name]");
            assertThat(firstRowName(browser)).isEqualTo("Item 0000");

            // filter by name and by state
            browser.type("#filter", "Item 09");
            double filterMs = browser.script("const t = performance.now(); rebuild(); return performance.now() - t").asDouble();
            TestData.await(Duration.ofSeconds(5), "100 shown", () -> shown(browser) == 100);
            browser.script("const f = document.getElementById('filter'); f.value = ''; f.oninput();");
            browser.script("const s = document.getElementById('state'); s.value = 'error'; s.onchange();");
            assertThat(shown(browser)).as("no torrent in error").isZero();
            browser.script("const s = document.getElementById('state'); s.value = 'stopped'; s.onchange();");
            assertThat(shown(browser)).isEqualTo(N);
            browser.script("const s = document.getElementById('state'); s.value = ''; s.onchange();");
            System.out.printf("web UI with %d torrents: sort %.1f ms, filter %.1f ms (in the page); first sort click to answer %d ms%n",
                    N, sortMs, filterMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

            // three rows checked, started together
            browser.script("[...document.querySelectorAll('.row')].filter(r => r.style.display !== 'none')"
                    + ".sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).slice(0, 3)"
                    + ".forEach(r => r.querySelector('.chk').click())");
            assertThat(browser.script("return document.getElementById('selcount').textContent").asText()).isEqualTo("3 torrents");
            browser.click("#start");
            TestData.await(Duration.ofSeconds(20), "the three started", () -> {
                try {
                    JsonNode ts = rpc.call("torrent-get", Map.of("ids", List.of(1, 2, 3), "fields", List.of("status")))
                            .get("arguments").get("torrents");
                    return ts.size() == 3 && ts.get(0).get("status").asInt() != 0 && ts.get(1).get("status").asInt() != 0
                            && ts.get(2).get("status").asInt() != 0;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(rpc.call("torrent-get", Map.of("ids", List.of(4), "fields", List.of("status")))
                    .get("arguments").get("torrents").get(0).get("status").asInt()).as("one not selected").isZero();

            // delete data: asked first; cancel keeps everything, confirm removes the three
            browser.click("#removeData");
            TestData.await(Duration.ofSeconds(5), "the confirmation", () -> browser.script(
                    "return document.getElementById('confirm').open").asBoolean());
            assertThat(browser.script("return document.getElementById('confirmText').textContent").asText()).contains("3 torrents");
            browser.click("#confirmNo");
            assertThat(rpc.call("torrent-get", Map.of("fields", List.of("id"))).get("arguments").get("torrents")).hasSize(N);
            browser.click("#removeData");
            browser.click("#confirmYes");
            TestData.await(Duration.ofSeconds(10), "three removed", () -> {
                try {
                    return rpc.call("torrent-get", Map.of("fields", List.of("id"))).get("arguments").get("torrents").size() == N - 3;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });

            // settings: a download limit and the seed ratio, saved through session-set
            browser.click("#settings");
            TestData.await(Duration.ofSeconds(5), "the settings dialog", () -> browser.script(
                    "return document.getElementById('settingsDlg').open && document.getElementById('s-dir').value !== ''").asBoolean());
            browser.script("document.getElementById('s-down').value = '321'; document.getElementById('s-down-on').checked = true;"
                    + "document.getElementById('s-ratio').value = '1.5'; document.getElementById('s-ratio-on').checked = true;");
            browser.click("#settingsYes");
            TestData.await(Duration.ofSeconds(5), "the settings applied", () -> {
                try {
                    JsonNode s = rpc.call("session-get", Map.of()).get("arguments");
                    return s.get("speed-limit-down").asInt() == 321 && s.get("speed-limit-down-enabled").asBoolean()
                            && s.get("seedRatioLimit").asDouble() == 1.5 && s.get("seedRatioLimited").asBoolean();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            browser.click("#alt");
            TestData.await(Duration.ofSeconds(5), "turtle mode on", () -> {
                try {
                    return rpc.call("session-get", Map.of()).get("arguments").get("alt-speed-enabled").asBoolean()
                            && browser.script("return document.getElementById('alt').classList.contains('on')").asBoolean();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });

            // add a .torrent with options: another directory, paused, its second file left out
            Path album = tmp.resolve("album.torrent");
            Files.write(album, TestData.torrent(tmp.resolve("data"), "Album", 71, 16384, 30_000, 20_000, 10_000));
            Path elsewhere = Files.createDirectories(tmp.resolve("downloads/music"));
            browser.script("document.getElementById('file').hidden = false");
            browser.type("#file", album.toString());
            TestData.await(Duration.ofSeconds(5), "the add dialog listing the files", () -> browser.script(
                    "return document.querySelectorAll('[data-want]').length").asInt() == 3);
            browser.script("document.getElementById('addDlgDir').value = " + RpcClient.JSON.writeValueAsString(elsewhere.toString())
                    + "; document.getElementById('addDlgPaused').checked = true;"
                    + "document.querySelector('[data-want=\"1\"]').checked = false;");
            browser.click("#addDlgYes");
            TestData.await(Duration.ofSeconds(10), "the album added", () -> {
                try {
                    JsonNode ts = rpc.call("torrent-get", Map.of("fields", List.of("name"))).get("arguments").get("torrents");
                    return ts.size() == N - 2;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            JsonNode t = rpc.call("torrent-get", Map.of("ids", List.of(N + 1), "fields", List.of("name", "status", "downloadDir", "wanted")))
                    .get("arguments").get("torrents").get(0);
            assertThat(t.get("name").asText()).isEqualTo("Album");
            assertThat(t.get("status").asInt()).as("paused").isZero();
            assertThat(t.get("downloadDir").asText()).isEqualTo(elsewhere.toString());
            assertThat(t.get("wanted").toString()).isEqualTo("[1,0,1]");
            Path shot = Path.of("target", "web-ui-1000.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, browser.screenshot());
        }
    }
}
