package io.jtorrent.trackerserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.tracker.AnnounceRequest;
import io.jtorrent.tracker.AnnounceResponse;
import io.jtorrent.tracker.UdpTrackerClient;
import io.jtorrent.tracker.UdpTrackerProtocol;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UdpTrackerServerTest {
    private UdpTrackerServer server;
    private NioEventLoopGroup group;
    private UdpTrackerClient client;
    private final InfoHash hash = InfoHash.v1Of("udp".getBytes());

    @BeforeEach
    void start() throws Exception {
        MemoryStore store = new MemoryStore(TimeUnit.MINUTES.toNanos(2), System::nanoTime);
        server = new UdpTrackerServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), store, 60, null);
        group = new NioEventLoopGroup(1);
        client = new UdpTrackerClient(group, Duration.ofMillis(300), 2);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private String url() {
        return "udp://127.0.0.1:" + server.address().getPort() + "/announce";
    }

    private AnnounceResponse announce(String peerId, int port, long left) throws Exception {
        return client.announce(url(), new AnnounceRequest(hash, peerId.getBytes(), port, 0, 0, left,
                AnnounceRequest.Event.STARTED, 50, 7, null)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void peersFindEachOtherOverUdp() throws Exception {
        assertThat(announce("-AA0001-aaaaaaaaaaaa", 2001, 0).peers()).isEmpty();
        AnnounceResponse r = announce("-BB0001-bbbbbbbbbbbb", 2002, 5);
        assertThat(r.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 2001));
        assertThat(r.complete()).isEqualTo(1);
        assertThat(r.incomplete()).isEqualTo(1);
        assertThat(r.interval()).isEqualTo(60);
        assertThat(client.scrape(url(), hash).get(10, TimeUnit.SECONDS)).isEqualTo(new io.jtorrent.tracker.ScrapeResult(1, 1, 0));
    }

    /** Sends raw bytes and returns the reply, or null if none came within a second. */
    private ByteBuffer raw(byte[] packet) throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(1000);
            s.send(new DatagramPacket(packet, packet.length, server.address()));
            DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
            try {
                s.receive(in);
            } catch (java.net.SocketTimeoutException none) {
                return null;
            }
            return ByteBuffer.wrap(in.getData(), 0, in.getLength());
        }
    }

    private static String errorText(ByteBuffer b) {
        assertThat(b.getInt(0)).isEqualTo(UdpTrackerProtocol.ERROR);
        return new String(b.array(), 8, b.limit() - 8, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void malformedDatagramsGetErrorsOrAreDroppedAndTheServerGoesOn() throws Exception {
        assertThat(raw(new byte[5])).as("too short").isNull();
        byte[] badProtocol = ByteBuffer.allocate(16).putLong(42).putInt(0).putInt(9).array();
        assertThat(errorText(raw(badProtocol))).contains("bad protocol id");
        byte[] wrongId = ByteBuffer.allocate(98).putLong(12345).putInt(1).putInt(9).array();
        assertThat(errorText(raw(wrongId))).contains("connection id");
        ByteBuffer connect = raw(UdpTrackerProtocol.connectRequest(77));
        assertThat(connect.getInt(0)).isEqualTo(UdpTrackerProtocol.CONNECT);
        assertThat(connect.getInt(4)).isEqualTo(77);
        long id = connect.getLong(8);
        // the id is tied to the address it was issued to: this new socket's port differs, so it is refused
        assertThat(errorText(raw(ByteBuffer.allocate(98).putLong(id).putInt(1).putInt(9).array()))).contains("connection id");
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(1000);
            byte[] c = UdpTrackerProtocol.connectRequest(1);
            s.send(new DatagramPacket(c, c.length, server.address()));
            DatagramPacket in = new DatagramPacket(new byte[64], 64);
            s.receive(in);
            long myId = ByteBuffer.wrap(in.getData()).getLong(8);
            for (byte[] bad : new byte[][] {
                    ByteBuffer.allocate(40).putLong(myId).putInt(1).putInt(2).array(),            // truncated announce
                    ByteBuffer.allocate(16).putLong(myId).putInt(9).putInt(3).array(),            // unknown action
                    ByteBuffer.allocate(16 + 20 * 75).putLong(myId).putInt(2).putInt(4).array(),  // oversized scrape
                    ByteBuffer.allocate(98).putLong(myId).putInt(1).putInt(5).array()}) {         // port 0
                s.send(new DatagramPacket(bad, bad.length, server.address()));
                DatagramPacket reply = new DatagramPacket(new byte[256], 256);
                s.receive(reply);
                assertThat(ByteBuffer.wrap(reply.getData()).getInt(0)).isEqualTo(UdpTrackerProtocol.ERROR);
            }
        }
        // and it still serves
        assertThat(announce("-CC0001-cccccccccccc", 2003, 5).interval()).isEqualTo(60);
    }

    @Test
    void aTrackerThatNeverAnswersFailsAfterTheRetransmissions() {
        assertThatThrownBy(() -> client.announce("udp://127.0.0.1:9/announce", new AnnounceRequest(hash,
                "-DD0001-dddddddddddd".getBytes(), 1, 0, 0, 0, AnnounceRequest.Event.NONE, 1, 1, null)).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("no reply");
    }

    @Test
    void aFailingStoreCostsOnlyTheRequestsItFails() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        SwarmStore flaky = new HookedStore(false, a -> {
            if (down.get()) {
                throw new IllegalStateException("store unreachable");
            }
        });
        server.close();
        server = new UdpTrackerServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), flaky, 60, null);
        // answered with an error the client can act on, never left without a reply
        assertThatThrownBy(() -> announce("-EE0001-eeeeeeeeeeee", 2005, 0)).hasMessageContaining("storage is unavailable");
        assertThat(server.errors.sum()).isPositive();
        down.set(false);
        assertThat(announce("-EE0001-eeeeeeeeeeee", 2005, 0).interval()).isEqualTo(60);
        assertThat(server.announceCount()).isGreaterThan(1);
    }

    /**
     * On epoll each core's socket answers on its own thread; a blocking store must not be called
     * there: one slow announce would hold every datagram that socket gets. Connects from eight
     * ports (spread over the sockets by the kernel) are answered while an announce waits 3 s.
     */
    @Test
    void aSlowBlockingStoreDoesNotHoldTheOtherDatagramsOnEpoll() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        SwarmStore slow = new HookedStore(true, a -> {
            try {
                release.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        onEpoll(slow);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.address().getPort());
        try (java.net.DatagramSocket announcer = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            announcer.setSoTimeout(5000);
            long id = connect(announcer, to, 1);
            byte[] announce = io.jtorrent.tracker.UdpTrackerProtocol.announceRequest(new io.jtorrent.tracker.UdpTrackerProtocol.Announce(
                    id, 2, hash.bytes(), "-SS0001-ssssssssssss".getBytes(), 0, 0, 0, 2, 0, 0, 50, 6881));
            announcer.send(new java.net.DatagramPacket(announce, announce.length, to));
            Thread.sleep(100); // the announce is with the store
            for (int i = 0; i < 8; i++) {
                try (java.net.DatagramSocket other = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                    other.setSoTimeout(1000);
                    long t0 = System.nanoTime();
                    connect(other, to, 10 + i);
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("connect %d answered", i).isLessThan(Duration.ofMillis(1000));
                }
            }
        } finally {
            release.countDown();
        }
    }

    /** Replaces the server with one on the epoll transport (one socket per core), or skips the test where there is none. */
    private void onEpoll(SwarmStore store) throws Exception {
        asking("epoll", store);
    }

    /**
     * Replaces the server with one made while {@code transport} is asked for; skips the test where
     * epoll is not available. io_uring asked: the UDP sockets still run on epoll (batched reads).
     */
    private void asking(String transport, SwarmStore store) throws Exception {
        server.close();
        String before = AskedTransport.ask(transport);
        try {
            org.junit.jupiter.api.Assumptions.assumeTrue(io.jtorrent.net.Transport.Kind.EPOLL.isAvailable(), "epoll is not available here");
            server = new UdpTrackerServer(new InetSocketAddress("127.0.0.1", 0), store, 60, null);
            assertThat(server.transport()).isEqualTo(io.jtorrent.net.Transport.Kind.EPOLL);
        } finally {
            AskedTransport.restore(before);
        }
    }

    /**
     * On epoll (also where io_uring is asked for) one system call reads up to 16 datagrams, each a slice of one buffer. A burst sent
     * before any answer is read: 40 connects, a scrape of the most hashes allowed (1,496 bytes),
     * a datagram longer than the longest request, 20 more connects. Each is answered as its own:
     * every connect by its transaction, the scrape with all 74 entries, the long one cut and
     * refused with an error, costing nothing to the datagrams read with it.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"epoll", "io_uring"})
    void aBurstOfDatagramsReadTogetherIsAnsweredOneByOne(String transport) throws Exception {
        asking(transport, new MemoryStore(TimeUnit.MINUTES.toNanos(2), System::nanoTime));
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.address().getPort());
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(5000);
            s.setReceiveBufferSize(1 << 20);
            long id = connect(s, to, 1);
            java.util.List<byte[]> burst = new java.util.ArrayList<>();
            for (int tx = 100; tx < 140; tx++) {
                burst.add(UdpTrackerProtocol.connectRequest(tx));
            }
            java.util.List<byte[]> hashes = new java.util.ArrayList<>();
            for (int i = 0; i < UdpTrackerProtocol.MAX_SCRAPE_HASHES; i++) {
                hashes.add(InfoHash.v1Of(("scraped " + i).getBytes()).bytes());
            }
            burst.add(UdpTrackerProtocol.scrapeRequest(id, 200, hashes));
            burst.add(ByteBuffer.allocate(3000).putLong(id).putInt(UdpTrackerProtocol.SCRAPE).putInt(300).array());
            for (int tx = 140; tx < 160; tx++) {
                burst.add(UdpTrackerProtocol.connectRequest(tx));
            }
            for (byte[] d : burst) {
                s.send(new DatagramPacket(d, d.length, to));
            }
            java.util.Set<Integer> connected = new java.util.TreeSet<>();
            java.util.List<UdpTrackerProtocol.ScrapeEntry> scraped = null;
            String refusal = null;
            byte[] buf = new byte[4096];
            for (int i = 0; i < burst.size(); i++) {
                DatagramPacket reply = new DatagramPacket(buf, buf.length);
                s.receive(reply);
                ByteBuffer b = ByteBuffer.wrap(buf, 0, reply.getLength());
                int action = b.getInt(0);
                int tx = b.getInt(4);
                if (action == UdpTrackerProtocol.CONNECT) {
                    assertThat(reply.getLength()).isEqualTo(16);
                    connected.add(tx);
                } else if (action == UdpTrackerProtocol.SCRAPE) {
                    assertThat(tx).isEqualTo(200);
                    scraped = UdpTrackerProtocol.parseScrapeReply(b);
                } else {
                    assertThat(action).isEqualTo(UdpTrackerProtocol.ERROR);
                    assertThat(tx).isEqualTo(300);
                    refusal = new String(buf, 8, reply.getLength() - 8, java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            assertThat(connected).hasSize(60).first().isEqualTo(100);
            assertThat(connected).last().isEqualTo(159);
            assertThat(scraped).hasSize(UdpTrackerProtocol.MAX_SCRAPE_HASHES);
            assertThat(refusal).contains("scrape");
        }
    }

    /** A connect from {@code s}: the connection id (a timeout fails the test). */
    private static long connect(java.net.DatagramSocket s, InetSocketAddress to, int tx) throws Exception {
        byte[] req = io.jtorrent.tracker.UdpTrackerProtocol.connectRequest(tx);
        s.send(new java.net.DatagramPacket(req, req.length, to));
        byte[] buf = new byte[64];
        java.net.DatagramPacket reply = new java.net.DatagramPacket(buf, buf.length);
        s.receive(reply);
        return java.nio.ByteBuffer.wrap(buf, 8, 8).getLong();
    }
}
