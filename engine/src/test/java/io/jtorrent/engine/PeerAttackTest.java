package io.jtorrent.engine;

import io.jtorrent.engine.peer.PeerConnection;
import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hostile peers on the wire cost only their own connections: floods, idle sockets, unasked-for data. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PeerAttackTest {
    @TempDir
    Path tmp;

    @Test
    void aRequestFlooderThatNeverReadsIsClosedWhileAnHonestPeerDownloads() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "data", 1, 65536, 4_000_000);
        try (Session seeder = Session.start(Swarm.loopback().build());
             Session leecher = Session.start(Swarm.loopback().build())) {
            seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            // 2 million requests (34 MB) for piece 0, interested, never reading a byte of the answers
            int perBatch = 60_000;
            ByteBuffer batch = ByteBuffer.allocate(5 + perBatch * 17);
            batch.putInt(1).put((byte) 2); // interested
            for (int i = 0; i < perBatch; i++) {
                batch.putInt(13).put((byte) 6).putInt(i % m.info().pieceCount()).putInt(0).putInt(16384);
            }
            byte[] bytes = batch.array();
            long total = (long) bytes.length * 34;
            AtomicLong sent = new AtomicLong();
            ScriptedPeer flooder = new ScriptedPeer(seeder.listenPort(), m.infoHash());
            CompletableFuture<String> flood = CompletableFuture.supplyAsync(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                try {
                    while (sent.get() < total && System.nanoTime() < deadline) {
                        flooder.sendRaw(bytes);
                        sent.addAndGet(bytes.length);
                    }
                    return "not closed";
                } catch (IOException e) {
                    return "closed";
                }
            });
            TorrentHandle h = leecher.add(AddTorrentParams.builder(m, tmp.resolve("leech"))
                    .peer(new InetSocketAddress("127.0.0.1", seeder.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(60), "the honest download", () -> Swarm.status(h).isFinished());
            assertThat(flood.get(90, TimeUnit.SECONDS)).isEqualTo("closed");
            assertThat(sent.get()).as("bytes the flooder got in").isLessThan(total);
            flooder.close();
        }
        Swarm.assertSameTree(seedDir.resolve("data"), tmp.resolve("leech/data"));
    }

    @Test
    void idleSocketsFromOneAddressDoNotKeepAnHonestPeerOut() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "data", 2, 16384, 300_000);
        List<Socket> idle = new ArrayList<>();
        try (Session seeder = Session.start(Swarm.loopback().build());
             Session honest = Session.start(Settings.builder().listenPort(0).bindAddress(InetAddress.getByName("127.0.0.2")).build())) {
            seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", seeder.listenPort()), 5000);
                idle.add(s); // connected, silent
            }
            long t0 = System.nanoTime();
            TorrentHandle h = honest.add(AddTorrentParams.builder(m, tmp.resolve("leech"))
                    .peer(new InetSocketAddress("127.0.0.1", seeder.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(5), "the honest peer's handshake answered despite 200 idle sockets",
                    () -> Swarm.status(h).peers() > 0 || Swarm.status(h).isFinished());
            Swarm.await(Duration.ofSeconds(30), "the honest download", () -> Swarm.status(h).isFinished());
            System.out.printf("honest peer connected and finished in %.2f s%n", (System.nanoTime() - t0) / 1e9);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void blocksNobodyAskedForAreDroppedAndStrikeNoOne() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "data", 3, 16384, 200_000);
        try (Session seeder = Session.start(Swarm.loopback().build());
             Session leecher = Session.start(Swarm.loopback().build())) {
            seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle h = leecher.add(AddTorrentParams.builder(m, tmp.resolve("leech")).build()).get(30, TimeUnit.SECONDS);
            try (ScriptedPeer liar = new ScriptedPeer(leecher.listenPort(), m.infoHash())) {
                liar.send(0x0F, new byte[0]); // have none
                liar.send(1, new byte[0]); // unchoke
                ByteBuffer junk = ByteBuffer.allocate(8 + 16384);
                for (int i = 0; i < PeerConnection.MAX_UNREQUESTED + 10; i++) {
                    junk.clear();
                    junk.putInt(i % m.info().pieceCount()).putInt(0);
                    try {
                        liar.send(7, junk.array());
                    } catch (IOException closed) {
                        break;
                    }
                }
                assertThat(liar.closedWithin(Duration.ofSeconds(10))).as("the liar's connection closed").isTrue();
            }
            assertThat(Swarm.status(h).piecesHave()).isZero();
            assertThat(Swarm.status(h).wasted()).isPositive();
            h.addPeer(new InetSocketAddress("127.0.0.1", seeder.listenPort())).get(5, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(30), "the honest download", () -> Swarm.status(h).isFinished());
            assertThat(Swarm.status(h).hashFailures()).as("no junk ever joined a piece").isZero();
        }
        Swarm.assertSameTree(seedDir.resolve("data"), tmp.resolve("leech/data"));
    }
}
