package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.storage.ResumeData;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed mode (libtorrent's seed_mode): the data is served without a check at start, each piece
 * hashed before its first byte leaves; a piece that does not match stops the seed before any of
 * it is sent, and resume data never vouches for a piece that was not hashed.
 */
class SeedModeTest {
    @TempDir
    Path tmp;

    @Test
    void aSeedInSeedModeServesAtOnceAndEveryPieceIsHashedBeforeItLeaves() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "data", 1, 32768, 300_000, 700_000);
        Path resume = tmp.resolve("resume");
        try (Session seed = Session.start(Swarm.loopback().resumeDirectory(resume).build());
             Session leech = Session.start(Swarm.loopback().build())) {
            TorrentHandle s = seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).seedMode(true).build())
                    .get(30, TimeUnit.SECONDS);
            assertThat(Swarm.status(s).state()).isEqualTo(TorrentState.SEEDING);
            TorrentHandle l = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech"))
                    .peer(new InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(60), "the leecher to finish", () -> Swarm.status(l).isFinished());
            assertThat(Swarm.status(l).hashFailures()).isZero();
            assertThat(Swarm.status(s).state()).isEqualTo(TorrentState.SEEDING);
        }
        Swarm.assertSameTree(seedDir.resolve("data"), tmp.resolve("leech/data"));
        // every piece went out, so every piece was hashed: the resume data vouches for all of them
        assertThat(trusted(resume, m, seedDir)).isEqualTo(m.info().pieceCount());
    }

    @Test
    void v2AndHybridPiecesAreCheckedByTheirMerkleHashesInSeedMode() throws Exception {
        for (io.jtorrent.metainfo.TorrentBuilder.Version version : new io.jtorrent.metainfo.TorrentBuilder.Version[] {
                io.jtorrent.metainfo.TorrentBuilder.Version.V2, io.jtorrent.metainfo.TorrentBuilder.Version.HYBRID}) {
            Path seedDir = tmp.resolve("seed-" + version);
            Path root = io.jtorrent.testkit.Trees.randomFiles(seedDir.resolve("tree"), "file", 3, 100_000, 40_000, 70_000);
            Metainfo m = io.jtorrent.metainfo.TorrentBuilder.from(root).pieceLength(32768).version(version).build().metainfo();
            try (Session seed = Session.start(Swarm.loopback().build());
                 Session leech = Session.start(Swarm.loopback().build())) {
                TorrentHandle s = seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).seedMode(true).build())
                        .get(30, TimeUnit.SECONDS);
                TorrentHandle l = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech-" + version))
                        .peer(new InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
                Swarm.await(Duration.ofSeconds(60), version + ": the leecher to finish", () -> Swarm.status(l).isFinished());
                assertThat(Swarm.status(s).state()).as(version + ": every piece matched").isEqualTo(TorrentState.SEEDING);
            }
            Swarm.assertSameTree(root, tmp.resolve("leech-" + version + "/tree"));
        }
    }

    @Test
    void aPieceThatDoesNotMatchStopsTheSeedBeforeAnyOfItLeaves() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "bad", 2, 16384, 200_000);
        Path file = seedDir.resolve("bad/file0.bin");
        if (!Files.exists(file)) {
            try (var files = Files.walk(seedDir.resolve("bad"))) {
                file = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            }
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(5 * 16384 + 100); // piece 5
            int b = f.read();
            f.seek(5 * 16384 + 100);
            f.write(b ^ 0xff);
        }
        Path resume = tmp.resolve("resume");
        List<SessionEvent> seedEvents = new CopyOnWriteArrayList<>();
        try (Session seed = Session.start(Swarm.loopback().resumeDirectory(resume).build());
             Session leech = Session.start(Swarm.loopback().build())) {
            seed.subscribe(seedEvents::add);
            TorrentHandle s = seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).seedMode(true).build())
                    .get(30, TimeUnit.SECONDS);
            assertThat(Swarm.status(s).state()).as("no check at start: the bad piece is not noticed yet")
                    .isEqualTo(TorrentState.SEEDING);
            TorrentHandle l = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech"))
                    .peer(new InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(60), "the seed to stop on the bad piece", () -> Swarm.status(s).state() == TorrentState.ERROR);
            assertThat(Swarm.status(s).error()).hasValueSatisfying(e -> assertThat(e).contains("piece 5", "does not match"));
            assertThat(seedEvents).anyMatch(e -> e instanceof SessionEvent.StorageError);
            TorrentStatus ls = Swarm.status(l);
            assertThat(ls.hashFailures()).as("the leecher never got a byte of the bad piece").isZero();
            assertThat(ls.progress()).isLessThan(1.0);
        }
        // the pieces the seed never hashed are not vouched for: a normal start hashes them and finds piece 5 missing
        try (Session again = Session.start(Swarm.loopback().resumeDirectory(resume).build())) {
            TorrentHandle h = again.add(AddTorrentParams.builder(m, seedDir).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(30), "the check", () -> Swarm.status(h).state() != TorrentState.CHECKING);
            TorrentStatus st = Swarm.status(h);
            assertThat(st.piecesHave()).isEqualTo(m.info().pieceCount() - 1);
        }
    }

    private static int trusted(Path resumeDir, Metainfo m, Path saveDir) throws Exception {
        try (var files = Files.list(resumeDir)) {
            Path f = files.filter(p -> p.getFileName().toString().endsWith(".resume")).findFirst().orElseThrow();
            return ResumeData.read(f, m.info().pieceCount()).trustedPieces(m.info(), saveDir).cardinality();
        }
    }
}
