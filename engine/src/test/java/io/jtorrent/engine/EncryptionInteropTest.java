package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import io.jtorrent.testkit.ReferencePeer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message Stream Encryption with the clients people use, both directions, each of them set to
 * accept nothing but encrypted connections (libtorrent forced to RC4, Transmission's
 * {@code encryption: 2}, aria2's {@code --bt-require-crypto}) and jtorrent requiring it too; and a
 * libtorrent that speaks only plaintext, reached by a jtorrent that prefers encryption (the
 * encryption handshake fails, the retry in plaintext works). Byte for byte; every process stopped
 * by its PID; every wait bounded.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EncryptionInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;
    Path seedDir;
    Path torrentFile;
    Metainfo metainfo;

    @BeforeEach
    void makeData() throws Exception {
        seedDir = tmp.resolve("seed");
        metainfo = Swarm.makeData(seedDir, "crypt", 11, 65536, 1_200_000, 700_001);
        torrentFile = Swarm.torrentFile(metainfo, tmp.resolve("crypt.torrent"));
    }

    private Session session(Settings.Encryption policy) throws Exception {
        return Session.start(Swarm.loopback().encryption(policy).build());
    }

    private TorrentHandle seed(Session s) throws Exception {
        return s.add(AddTorrentParams.builder(metainfo, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
    }

    private void jtorrentDownloadsFrom(ReferencePeer peer, Settings.Encryption policy) throws Exception {
        Swarm.downloadFrom(Swarm.loopback().encryption(policy).build(), metainfo, seedDir, tmp.resolve("jtorrent-leech"), peer,
                WAIT);
    }

    private void awaitComplete(Path saveDir, ReferencePeer peer) throws Exception {
        Swarm.awaitVerified(metainfo, seedDir, saveDir, peer, WAIT);
    }

    @Test
    void jtorrentDownloadsFromLibtorrentForcedToEncrypt() throws Exception {
        try (ReferencePeer lt = ReferencePeer.libtorrentEncryption("forced", true, torrentFile, seedDir, tmp.resolve("lt"),
                Duration.ofMinutes(3))) {
            jtorrentDownloadsFrom(lt, Settings.Encryption.REQUIRED);
        }
    }

    @Test
    void libtorrentForcedToEncryptDownloadsFromJtorrent() throws Exception {
        Path leechDir = tmp.resolve("lt-leech");
        try (Session s = session(Settings.Encryption.REQUIRED)) {
            seed(s);
            try (ReferencePeer lt = ReferencePeer.libtorrentEncryption("forced", false, torrentFile, leechDir, tmp.resolve("lt"),
                    Duration.ofMinutes(3), "127.0.0.1:" + s.listenPort())) {
                awaitComplete(leechDir, lt);
            }
        }
    }

    @Test
    void aPlaintextOnlyLibtorrentIsReachedInPlaintextByAPreferringJtorrent() throws Exception {
        try (ReferencePeer lt = ReferencePeer.libtorrentEncryption("disabled", true, torrentFile, seedDir, tmp.resolve("lt"),
                Duration.ofMinutes(3))) {
            jtorrentDownloadsFrom(lt, Settings.Encryption.PREFERRED);
        }
    }

    @Test
    void jtorrentDownloadsFromTransmissionRequiringEncryption() throws Exception {
        try (ReferencePeer tr = ReferencePeer.transmission(torrentFile, seedDir, tmp.resolve("tr"), 2)) {
            jtorrentDownloadsFrom(tr, Settings.Encryption.REQUIRED);
        }
    }

    @Test
    void transmissionRequiringEncryptionDownloadsFromJtorrent() throws Exception {
        Path leechDir = Files.createDirectories(tmp.resolve("tr-leech"));
        try (Session s = session(Settings.Encryption.REQUIRED)) {
            TorrentHandle h = seed(s);
            try (ReferencePeer tr = ReferencePeer.transmission(torrentFile, leechDir, tmp.resolve("tr"), 2)) {
                h.addPeer(new InetSocketAddress("127.0.0.1", tr.peerPort())).get(5, TimeUnit.SECONDS);
                awaitComplete(leechDir, tr);
            }
        }
    }

    @Test
    void jtorrentDownloadsFromAria2RequiringEncryption() throws Exception {
        try (ReferencePeer aria = ReferencePeer.aria2(true, torrentFile, seedDir, tmp.resolve("aria"), true)) {
            jtorrentDownloadsFrom(aria, Settings.Encryption.REQUIRED);
        }
    }

    @Test
    void aria2RequiringEncryptionDownloadsFromJtorrent() throws Exception {
        Path leechDir = Files.createDirectories(tmp.resolve("aria-leech"));
        try (Session s = session(Settings.Encryption.REQUIRED)) {
            TorrentHandle h = seed(s);
            try (ReferencePeer aria = ReferencePeer.aria2(false, torrentFile, leechDir, tmp.resolve("aria"), true)) {
                Swarm.await(Duration.ofSeconds(20), "aria2 to listen", () -> aria.log().contains("Listening")
                        || aria.log().contains("listening") || aria.log().contains("CN:"));
                h.addPeer(new InetSocketAddress("127.0.0.1", aria.peerPort())).get(5, TimeUnit.SECONDS);
                awaitComplete(leechDir, aria);
                assertThat(aria.waitFor(Duration.ofSeconds(30))).as("aria2 exits once done").isTrue();
            }
        }
    }
}
