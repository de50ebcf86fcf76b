package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disk error stops only its torrent, with an event; the session and its other torrents go on. */
class StorageErrorTest {
    @TempDir
    Path tmp;

    @Test
    void anUnwritableFileStopsItsTorrentOnly() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo broken = Swarm.makeData(seedDir, "broken", 1, 16384, 200_000);
        Metainfo fine = Swarm.makeData(seedDir, "fine", 2, 16384, 200_000);
        Path leechDir = tmp.resolve("leech");
        // where the file must go there is a directory: every write to it fails (root ignores permissions)
        Files.createDirectories(leechDir.resolve("broken/file0.bin/in-the-way"));
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        try (Session seed = Session.start(Swarm.loopback().build());
             Session leech = Session.start(Swarm.loopback().build())) {
            leech.subscribe(events::add);
            seed.add(AddTorrentParams.builder(broken, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            seed.add(AddTorrentParams.builder(fine, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            InetSocketAddress peer = new InetSocketAddress("127.0.0.1", seed.listenPort());
            TorrentHandle b = leech.add(AddTorrentParams.builder(broken, leechDir).peer(peer).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle f = leech.add(AddTorrentParams.builder(fine, leechDir).peer(peer).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(30), "the broken torrent to stop with an error",
                    () -> Swarm.status(b).state() == TorrentState.ERROR);
            assertThat(Swarm.status(b).error()).hasValueSatisfying(e -> assertThat(e).contains("file0.bin"));
            assertThat(Swarm.status(b).piecesHave()).isZero();
            Swarm.await(Duration.ofSeconds(30), "the other torrent to finish", () -> Swarm.status(f).isFinished());
        }
        assertThat(events).anyMatch(e -> e instanceof SessionEvent.StorageError se && se.infoHash().equals(broken.infoHash()));
        Swarm.assertSameTree(seedDir.resolve("fine"), leechDir.resolve("fine"));
    }
}
