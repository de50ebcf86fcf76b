package io.jtorrent.engine;

import io.jtorrent.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A connection refused in the handshake (the torrent there paused) is a failed dial: tried again later. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class RedialTest {
    @TempDir
    Path tmp;

    @Test
    void aPeerThatRefusedWhilePausedIsDialledAgainOnceItRuns() throws Exception {
        Metainfo m = Swarm.makeData(tmp.resolve("seed"), "redial", 9, 16384, 400_000);
        try (Session seeder = Session.start(Swarm.loopback().build());
             Session leecher = Session.start(Swarm.loopback().build())) {
            TorrentHandle seed = seeder.add(AddTorrentParams.builder(m, tmp.resolve("seed")).seedOnly(true).build())
                    .get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(AddTorrentParams.builder(m, tmp.resolve("leech")).paused(true).build())
                    .get(30, TimeUnit.SECONDS);
            // only the seeder knows the other: its dial is refused while the leecher's torrent is paused
            seed.addPeer(new InetSocketAddress("127.0.0.1", leecher.listenPort())).get(5, TimeUnit.SECONDS);
            Thread.sleep(1000);
            h.resume().get(5, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(30), "the seeder to dial again and the download to finish",
                    () -> Swarm.status(h).isFinished());
        }
        Swarm.assertSameTree(tmp.resolve("seed").resolve("redial"), tmp.resolve("leech").resolve("redial"));
    }
}
