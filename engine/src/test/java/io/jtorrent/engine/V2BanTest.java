package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.metainfo.TorrentBuilder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A v2 swarm with a corrupting peer: it serves good blocks but one bad one. The leecher bans it
 * at its first bad piece (by the blocks' v2 hashes, asked of the honest seeder), strikes no honest
 * peer, and completes from the seeder.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class V2BanTest {
    @TempDir
    Path tmp;

    @Test
    void aCorruptingPeerIsBannedAtItsFirstBadBlockAndNoHonestPeerIsStruck() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path root = Files.createDirectories(seedDir).resolve("v2.bin");
        byte[] random = new byte[3_000_000];
        new java.util.Random(11).nextBytes(random);
        Files.write(root, random);
        Metainfo m = TorrentBuilder.from(root).version(TorrentBuilder.Version.V2).pieceLength(256 << 10).build().metainfo();
        byte[] data = Files.readAllBytes(m.info().files().get(0).resolveIn(seedDir));
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        try (Session seeder = Session.start(Swarm.loopback().uploadLimit(400_000).build());
             Session leecher = Session.start(Swarm.loopback().build())) {
            seeder.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            leecher.subscribe(events::add);
            TorrentHandle h = leecher.add(AddTorrentParams.builder(m, tmp.resolve("leech")).build()).get(30, TimeUnit.SECONDS);
            try (ScriptedPeer liar = new ScriptedPeer(leecher.listenPort(), m.infoHash())) {
                liar.send(14, new byte[0]); // have all
                liar.send(1, new byte[0]); // unchoke
                h.addPeer(new InetSocketAddress("127.0.0.1", seeder.listenPort())).get(5, TimeUnit.SECONDS);
                Thread server = new Thread(() -> serveWithOneBadBlock(liar, data, m.info().pieceLength()));
                server.setDaemon(true);
                server.start();
                Swarm.await(Duration.ofSeconds(60), "the liar banned", () -> events.stream()
                        .anyMatch(e -> e instanceof SessionEvent.PeerBanned b && b.address().getPort() != seeder.listenPort()));
                Swarm.await(Duration.ofSeconds(60), "the download", () -> Swarm.status(h).isFinished());
            }
        }
        List<SessionEvent.PeerBanned> bans = events.stream().filter(e -> e instanceof SessionEvent.PeerBanned)
                .map(e -> (SessionEvent.PeerBanned) e).toList();
        List<SessionEvent.HashFailed> failures = events.stream().filter(e -> e instanceof SessionEvent.HashFailed)
                .map(e -> (SessionEvent.HashFailed) e).toList();
        assertThat(failures).as("one bad piece").hasSize(1);
        assertThat(failures.get(0).contributors()).as("two senders: no sole source to blame").hasSize(2);
        assertThat(bans).as("nobody else struck").hasSize(1);
        assertThat(bans.get(0).reason()).as("pinned by the blocks' v2 hashes").contains("does not match its v2 hash");
        Swarm.assertSameTree(seedDir.resolve(m.info().name()), tmp.resolve("leech").resolve(m.info().name()));
    }

    /**
     * Answers requests for even blocks with the torrent's data, the first one corrupt, and rejects
     * the others (fast extension): so the leecher gets the odd blocks of the same pieces from the
     * honest seeder, and a failed piece has two senders.
     */
    private static void serveWithOneBadBlock(ScriptedPeer liar, byte[] data, long pieceLength) {
        boolean corrupted = false;
        try {
            ScriptedPeer.Message msg;
            while ((msg = liar.read()) != null) {
                if (msg.id() != 6) {
                    continue;
                }
                ByteBuffer r = ByteBuffer.wrap(msg.payload());
                int piece = r.getInt();
                int begin = r.getInt();
                int length = r.getInt();
                if ((begin / 16384) % 2 == 1) {
                    liar.send(16, java.util.Arrays.copyOf(msg.payload(), 12)); // reject request
                    continue;
                }
                ByteBuffer out = ByteBuffer.allocate(8 + length).putInt(piece).putInt(begin);
                long at = piece * pieceLength + begin;
                for (int i = 0; i < length; i++) {
                    out.put(at + i < data.length ? data[(int) (at + i)] : 0);
                }
                if (!corrupted) {
                    out.put(8, (byte) (out.get(8) ^ 0x55));
                    corrupted = true;
                }
                liar.send(7, out.array());
            }
        } catch (java.io.IOException closed) {
            // banned: the leecher hung up
        }
    }
}
