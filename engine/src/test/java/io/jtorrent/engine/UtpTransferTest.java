package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * uTP between our own sessions on 127.0.0.1: dialled first when both have it on, the download
 * complete and byte-identical, the peers reported as uTP, and encrypted over it too; a dialer
 * with uTP on reaching a peer without it falls back to TCP.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class UtpTransferTest {
    @TempDir
    Path tmp;

    @Test
    void aDownloadOverUtpEncryptedAndATcpFallback() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "over-utp", 7, 32768, 3_000_000, 200_001);
        try (Session seed = Session.start(Swarm.loopback().utp(true).encryption(Settings.Encryption.REQUIRED).build());
             Session leech = Session.start(Swarm.loopback().utp(true).encryption(Settings.Encryption.REQUIRED).build())) {
            seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle l = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech"))
                    .peer(new InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(20), "a uTP peer", () -> {
                try {
                    return l.peers().get(5, TimeUnit.SECONDS).stream().anyMatch(p -> p.utp() && p.encrypted());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            Swarm.await(Duration.ofSeconds(60), "the download over uTP", () -> Swarm.status(l).isFinished());
        }
        Swarm.assertSameTree(seedDir.resolve("over-utp"), tmp.resolve("leech/over-utp"));

        try (Session tcpOnly = Session.start(Swarm.loopback().build());
             Session dialer = Session.start(Swarm.loopback().utp(true).build())) {
            tcpOnly.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle l = dialer.add(AddTorrentParams.builder(m, tmp.resolve("leech2"))
                    .peer(new InetSocketAddress("127.0.0.1", tcpOnly.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(30), "the download over TCP after uTP found nobody",
                    () -> Swarm.status(l).isFinished());
        }
    }
}
