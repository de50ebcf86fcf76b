package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        try (Session seed = Session.start(Swarm.loopback().encryption(Settings.Encryption.REQUIRED).build());
             Session leech = Session.start(Swarm.loopback().encryption(Settings.Encryption.REQUIRED).build())) {
            seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle l = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech"))
                    .peer(new InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(20), "a uTP peer", () -> {
                try {
                    return l.peers().get(5, TimeUnit.SECONDS).stream().anyMatch(p -> p.utp() && p.encrypted())
                            && Swarm.status(l).utpPeers() == 1;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            Swarm.await(Duration.ofSeconds(60), "the download over uTP", () -> Swarm.status(l).isFinished());
            assertThat(Swarm.status(l).utpWireReceived()).as("the data came over uTP").isGreaterThan(3_200_000);
        }
        Swarm.assertSameTree(seedDir.resolve("over-utp"), tmp.resolve("leech/over-utp"));

        try (Session tcpOnly = Session.start(Swarm.loopback().utp(false).build());
             Session dialer = Session.start(Swarm.loopback().build())) {
            assertThat(dialer.utpEnabled()).as("uTP is on by default").isTrue();
            tcpOnly.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle l = dialer.add(AddTorrentParams.builder(m, tmp.resolve("leech2"))
                    .peer(new InetSocketAddress("127.0.0.1", tcpOnly.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(30), "the download over TCP after uTP found nobody",
                    () -> Swarm.status(l).isFinished());
        }
    }

    @Test
    void uTpOnlyPeersOpenNoTcpPortAndStillTrade() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "utp-only", 9, 32768, 700_000);
        assertThatThrownBy(() -> Swarm.loopback().utp(false).tcp(false).build()).hasMessageContaining("one transport");
        try (Session seed = Session.start(Swarm.loopback().tcp(false).build());
             Session leech = Session.start(Swarm.loopback().tcp(false).build())) {
            assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", seed.listenPort()).close())
                    .as("no TCP listener on the peer port").isInstanceOf(java.net.ConnectException.class);
            assertThatThrownBy(() -> seed.setUtp(false)).hasMessageContaining("only transport");
            seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle l = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech"))
                    .peer(new InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(30), "the download between uTP-only peers", () -> Swarm.status(l).isFinished());
            assertThat(Swarm.status(l).utpWireReceived()).isGreaterThan(700_000);
        }
        Swarm.assertSameTree(seedDir.resolve("utp-only"), tmp.resolve("leech/utp-only"));
    }

    @Test
    void uTpOverIpv6() throws Exception {
        java.net.InetAddress v6 = java.net.InetAddress.getByName("::1");
        org.junit.jupiter.api.Assumptions.assumeTrue(ipv6Loopback(v6), "no IPv6 loopback on this machine");
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "over-ipv6", 11, 32768, 500_000);
        try (Session seed = Session.start(Settings.builder().listenPort(0).bindAddress(v6).tcp(false).build());
             Session leech = Session.start(Settings.builder().listenPort(0).bindAddress(v6).tcp(false).build())) {
            seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle l = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech"))
                    .peer(new InetSocketAddress(v6, seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
            Swarm.await(Duration.ofSeconds(30), "the download over uTP on ::1", () -> Swarm.status(l).isFinished());
            assertThat(Swarm.status(l).utpWireReceived()).isGreaterThan(500_000);
        }
        Swarm.assertSameTree(seedDir.resolve("over-ipv6"), tmp.resolve("leech/over-ipv6"));
    }

    private static boolean ipv6Loopback(java.net.InetAddress v6) {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress(v6, 0))) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void uTpTurnedOffAndOnWhileRunning() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "toggled", 10, 32768, 300_000);
        try (Session seed = Session.start(Swarm.loopback().build());
             Session leech = Session.start(Swarm.loopback().tcp(false).build())) {
            seed.setUtp(false);
            assertThat(seed.utpEnabled()).isFalse();
            java.net.InetAddress lo = java.net.InetAddress.getLoopbackAddress();
            assertThat(io.jtorrent.testkit.UtpProbe.answers(lo, seed.listenPort(), Duration.ofMillis(500)))
                    .as("no uTP answers on the port").isFalse();
            seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle l = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech"))
                    .peer(new InetSocketAddress("127.0.0.1", seed.listenPort())).build()).get(30, TimeUnit.SECONDS);
            seed.setUtp(true);
            assertThat(io.jtorrent.testkit.UtpProbe.answers(lo, seed.listenPort(), Duration.ofSeconds(5))).isTrue();
            Swarm.await(Duration.ofSeconds(60), "the download once the seed has uTP again", () -> Swarm.status(l).isFinished());
        }
    }

    @Test
    void uTpSharesTheDhtNodesPortAndTheNodeStillAnswers() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = Swarm.makeData(seedDir, "shared", 8, 32768, 400_000);
        int port = io.jtorrent.testkit.ReferencePeer.freePort();
        // the seed's upload capped so the transfer lasts long enough to be seen over uTP (it once ended between two looks)
        try (Session seed = Session.start(Swarm.loopback().listenPort(port).dhtPort(port).uploadLimit(200_000).build());
             Session leech = Session.start(Swarm.loopback().build())) {
            seed.add(AddTorrentParams.builder(m, seedDir).seedOnly(true).build()).get(30, TimeUnit.SECONDS);
            TorrentHandle l = leech.add(AddTorrentParams.builder(m, tmp.resolve("leech"))
                    .peer(new InetSocketAddress("127.0.0.1", port)).build()).get(30, TimeUnit.SECONDS);
            boolean[] sawUtp = {false};
            Swarm.await(Duration.ofSeconds(30), "the download over uTP on the DHT's port", () -> {
                try {
                    sawUtp[0] |= l.peers().get(5, TimeUnit.SECONDS).stream().anyMatch(PeerInfo::utp);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return Swarm.status(l).isFinished();
            });
            assertThat(sawUtp[0]).isTrue();
            // a KRPC ping on the same port is still the DHT node's
            try (java.net.DatagramSocket udp = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                udp.setSoTimeout(5000);
                byte[] ping = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                udp.send(new java.net.DatagramPacket(ping, ping.length, java.net.InetAddress.getLoopbackAddress(), port));
                java.net.DatagramPacket answer = new java.net.DatagramPacket(new byte[1500], 1500);
                udp.receive(answer);
                assertThat(new String(answer.getData(), 0, answer.getLength(), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .startsWith("d").contains("1:y1:r");
            }
        }
    }

    @Test
    void aSynFloodFillsTheTableToItsBoundAndNoFurther() throws Exception {
        // half-open connections are closed by the handshake timeout: long enough here that none leaves meanwhile
        try (Session s = Session.start(Swarm.loopback().handshakeTimeout(Duration.ofSeconds(60)).build());
             java.net.DatagramSocket udp = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            int bound = io.jtorrent.engine.net.UtpSocket.MAX_CONNECTIONS;
            java.util.Set<Integer> answered = new java.util.HashSet<>();
            udp.setReceiveBufferSize(1 << 20);
            byte[] buf = new byte[1500];
            // in batches, each answered before the next (UDP buffers would drop a burst of a thousand)
            for (int batch = 0; batch < (bound + 50) / 50; batch++) {
                for (int id = batch * 50; id < (batch + 1) * 50; id++) {
                    byte[] syn = new io.jtorrent.wire.utp.UtpPacket(io.jtorrent.wire.utp.UtpPacket.Type.SYN, id, 0, 0, 65536, 1,
                            0, null, null).encode();
                    udp.send(new java.net.DatagramPacket(syn, syn.length, java.net.InetAddress.getLoopbackAddress(),
                            s.listenPort()));
                }
                udp.setSoTimeout(300);
                try {
                    while (true) { // answers until 0.3 s of silence
                        java.net.DatagramPacket d = new java.net.DatagramPacket(buf, buf.length);
                        udp.receive(d);
                        io.jtorrent.wire.utp.UtpPacket p = io.jtorrent.wire.utp.UtpPacket.decode(d.getData(), 0, d.getLength());
                        if (p.type() == io.jtorrent.wire.utp.UtpPacket.Type.STATE) {
                            answered.add(p.connectionId());
                        }
                    }
                } catch (java.net.SocketTimeoutException quiet) {
                    // this batch is answered
                }
            }
            assertThat(answered).as("half-open uTP connections taken").hasSize(bound);
        }
    }
}
