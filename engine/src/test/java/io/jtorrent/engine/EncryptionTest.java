package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.Metainfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message Stream Encryption between our own sessions: required both ways through a relay that
 * records every byte (no "BitTorrent protocol" may cross it in either direction), a plaintext
 * dialer refused by a session that requires encryption, and a tolerant dialer accepted encrypted
 * by a preferring one.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EncryptionTest {
    private static final byte[] PROTOCOL = "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    /** A TCP relay on 127.0.0.1 that forwards to {@code target} and keeps a copy of each direction. */
    static final class Relay implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final ByteArrayOutputStream toTarget = new ByteArrayOutputStream();
        final ByteArrayOutputStream fromTarget = new ByteArrayOutputStream();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();

        Relay(int target) throws IOException {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Socket in = server.accept();
                        Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                        sockets.add(in);
                        sockets.add(out);
                        pump(in.getInputStream(), out.getOutputStream(), toTarget);
                        pump(out.getInputStream(), in.getOutputStream(), fromTarget);
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "relay");
            t.setDaemon(true);
            t.start();
        }

        private void pump(InputStream from, OutputStream to, ByteArrayOutputStream copy) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[65536];
                try {
                    for (int n; (n = from.read(buf)) > 0; ) {
                        synchronized (copy) {
                            copy.write(buf, 0, n);
                        }
                        to.write(buf, 0, n);
                    }
                } catch (IOException closed) {
                    // one side went away
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        byte[] copy(ByteArrayOutputStream b) {
            synchronized (b) {
                return b.toByteArray();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void requiredBothWaysThroughARelayThatSeesNoPlaintext() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path leechDir = tmp.resolve("leech");
        Metainfo m = Swarm.makeData(seedDir, "secret", 3, 32768, 600_000, 90_000);
        try (Session seed = Session.start(Swarm.loopback().encryption(Settings.Encryption.REQUIRED).build());
             Session leech = Session.start(Swarm.loopback().encryption(Settings.Encryption.REQUIRED).build());
             Relay relay = new Relay(seed.listenPort())) {
            seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle l = leech.add(AddTorrentParams.builder(m, leechDir)
                    .peer(new InetSocketAddress("127.0.0.1", relay.port())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(60), "the leecher to finish", () -> Swarm.status(l).isFinished());
            assertThat(l.peers().get(5, TimeUnit.SECONDS)).allMatch(PeerInfo::encrypted);
            byte[] up = relay.copy(relay.toTarget);
            byte[] down = relay.copy(relay.fromTarget);
            assertThat(down.length).as("the data crossed the relay").isGreaterThan(690_000);
            assertThat(contains(up, PROTOCOL)).as("the dialer's bytes hold no plaintext handshake").isFalse();
            assertThat(contains(down, PROTOCOL)).as("the seed's bytes hold no plaintext handshake").isFalse();
            // and the data itself is not in the clear: the file's first 64 bytes appear nowhere
            byte[] start;
            try (var files = java.nio.file.Files.list(seedDir.resolve("secret"))) {
                start = java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(files.sorted().findFirst().orElseThrow()), 64);
            }
            assertThat(contains(down, start)).isFalse();
        }
        Swarm.assertSameTree(seedDir.resolve("secret"), leechDir.resolve("secret"));
    }

    @Test
    void aPlaintextDialerIsRefusedWhereEncryptionIsRequired() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "secret", 4, 32768, 100_000);
        try (Session seed = Session.start(Swarm.loopback().encryption(Settings.Encryption.REQUIRED).build());
             Session plain = Session.start(Swarm.loopback().encryption(Settings.Encryption.TOLERATED).build())) {
            seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle l = plain.add(AddTorrentParams.builder(m, tmp.resolve("leech"))
                    .peer(new InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
            // a peer that never joins: poll a while, bounded
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < end) {
                assertThat(Swarm.status(l).peers()).isZero();
                Thread.sleep(100);
            }
            // the same dialer told to prefer encryption now gets through, encrypted
            plain.setEncryption(Settings.Encryption.PREFERRED);
            l.addPeer(new InetSocketAddress("127.0.0.1", seed.listenPort())).get(5, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(30), "the leecher to finish", () -> Swarm.status(l).isFinished());
            assertThat(Swarm.status(l).hashFailures()).isZero();
        }
    }

    @Test
    void aTolerantDialerIsTakenInPlaintextAndAPreferringOneEncrypted() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "mixed", 5, 32768, 2_000_000);
        // the seed sends slowly, so that both leechers are still connected when it is asked
        try (Session seed = Session.start(Swarm.loopback().uploadLimit(200_000).build()); // preferred, the default
             Session tolerant = Session.start(Swarm.loopback().encryption(Settings.Encryption.TOLERATED).build());
             Session preferring = Session.start(Swarm.loopback().build())) {
            TorrentHandle s = seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            tolerant.add(AddTorrentParams.builder(m, tmp.resolve("a"))
                    .peer(new InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
            preferring.add(AddTorrentParams.builder(m, tmp.resolve("b"))
                    .peer(new InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(20), "both leechers at the seed", () -> Swarm.status(s).peers() == 2);
            assertThat(s.peers().get(5, TimeUnit.SECONDS)).extracting(PeerInfo::encrypted)
                    .containsExactlyInAnyOrder(false, true);
        }
    }
}
