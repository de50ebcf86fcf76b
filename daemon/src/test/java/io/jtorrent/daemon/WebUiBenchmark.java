package io.jtorrent.daemon;

import io.jtorrent.testkit.ExternalProgram;
import io.jtorrent.testkit.RpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark, not a test (run by bench/web-ui.sh; skipped otherwise): how fast our web UI and
 * Transmission's own web client sort and filter the same 1,000 torrents in Chromium, both served
 * by the daemon. Each operation is timed in the page (the call and the layout it forces), median
 * of RUNS, and the ratios printed.
 */
class WebUiBenchmark {
    private static final int N = 1000;
    private static final int RUNS = Integer.getInteger("jtorrent.bench.runs", 15);
    private static final Path TRANSMISSION_WEB = Path.of("/usr/share/transmission/web");

    @TempDir
    Path tmp;

    /** Median milliseconds of a page script that returns its own timing. */
    private static double median(WebDriver b, String timedScript) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            ms.add(b.script(timedScript).asDouble());
        }
        Collections.sort(ms);
        return ms.get(ms.size() / 2);
    }

    private static String timed(String body) {
        return "const t = performance.now(); " + body + "; document.body.offsetHeight; return performance.now() - t";
    }

    private double[] measure(Path home, String[] ops) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(home == null ? "ours" : "theirs"));
        Daemon.Options o = DaemonRpcTest.options(dir, null);
        Daemon.Options withHome = new Daemon.Options(o.configDir(), o.downloadDir(), null, o.rpcBind(), 0, null, o.session(),
                home == null ? Daemon.Security.defaults() : Daemon.Security.defaults().withWebHome(home));
        try (Daemon d = Daemon.start(withHome); WebDriver browser = new WebDriver(Files.createDirectories(dir.resolve("browser")))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            for (int i = 0; i < N; i++) {
                rpc.call("torrent-add", Map.of("metainfo", Base64.getEncoder().encodeToString(WebUiManyTest.item(i)), "paused", true));
            }
            browser.open("http://127.0.0.1:" + d.rpcPort() + "/");
            String count = home == null
                    ? "return document.querySelectorAll('.row').length > 0 && document.getElementById('totals').textContent.includes('1000 shown')"
                    : "return document.querySelectorAll('#torrent_list li').length === 1000";
            TestData.await(Duration.ofSeconds(60), "1,000 torrents in the page", () -> browser.script(count).asBoolean());
            double[] out = new double[ops.length];
            for (int i = 0; i < ops.length; i++) {
                out[i] = median(browser, timed(ops[i]));
            }
            return out;
        }
    }

    @Test
    void sortAndFilterAThousandTorrents() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("jtorrent.bench"), "a benchmark: bench/web-ui.sh runs it");
        ExternalProgram.requireFile(TRANSMISSION_WEB.resolve("index.html"), "transmission-daemon");
        String[] names = {"sort by size", "sort by name", "filter by name (100 of 1,000)", "filter cleared"};
        double[] ours = measure(null, new String[] {
            "sortKey = 'sizeWhenDone'; sortDir = 1; rebuild()",
            "sortKey = 'name'; sortDir = 1; rebuild()",
            "document.getElementById('filter').value = 'Item 09'; rebuild()",
            "document.getElementById('filter').value = ''; rebuild()"});
        double[] theirs = measure(TRANSMISSION_WEB, new String[] {
            "transmission.setSortMethod('size')",
            "transmission.setSortMethod('name')",
            "transmission.setFilterText('Item 09')",
            "transmission.setFilterText('')"});
        System.out.printf(Locale.ROOT, "%d torrents, Chromium (headless), median of %d, ms (the call and the layout it forces)%n", N, RUNS);
        System.out.printf(Locale.ROOT, "%-32s %10s %14s %8s%n", "operation", "jtorrent", "transmission", "ratio");
        for (int i = 0; i < names.length; i++) {
            System.out.printf(Locale.ROOT, "%-32s %10.2f %14.2f %8.3f%n", names[i], ours[i], theirs[i], ours[i] / theirs[i]);
        }
    }
}
