package io.jtorrent.engine;

import io.jtorrent.metainfo.Metainfo;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link LsdTest} inside a network namespace of its own: two sessions with LSD on and no
 * other way to find each other; the second downloads from the first. Prints "lsd ok" and exits 0
 * when done, exits 1 otherwise (bounded).
 */
public final class LsdProbe {
    private LsdProbe() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Metainfo m = Swarm.makeData(dir.resolve("seed"), "lsd", 8, 16384, 500_000);
        Settings.Builder s = Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress()).lsd(true);
        try (Session a = Session.start(s.build()); Session b = Session.start(s.build())) {
            a.add(AddTorrentParams.builder(m, dir.resolve("seed")).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle h = b.add(AddTorrentParams.builder(m, dir.resolve("leech")).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(30), "the download through LSD", () -> Swarm.status(h).isFinished());
            Swarm.assertSameTree(dir.resolve("seed").resolve("lsd"), dir.resolve("leech").resolve("lsd"));
            System.out.println("lsd ok");
        }
        System.exit(0);
    }
}
