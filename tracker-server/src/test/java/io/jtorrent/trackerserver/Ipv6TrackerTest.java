package io.jtorrent.trackerserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.tracker.AnnounceRequest;
import io.jtorrent.tracker.AnnounceResponse;
import io.jtorrent.tracker.HttpTrackerClient;
import io.jtorrent.tracker.UdpTrackerClient;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** IPv6 (BEP 7): peers announcing over ::1 are returned as peers6 (HTTP) and 18-byte entries (UDP). */
class Ipv6TrackerTest {
    @Test
    void ipv6PeersOverHttpAndUdp() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        MemoryStore store = new MemoryStore(TimeUnit.MINUTES.toNanos(2), System::nanoTime);
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try (TrackerServer http = new TrackerServer(new InetSocketAddress(v6, 0), store, 60, null, 1);
             UdpTrackerServer udp = new UdpTrackerServer(new InetSocketAddress(v6, 0), store, 60, null);
             UdpTrackerClient udpClient = new UdpTrackerClient(group, Duration.ofMillis(500), 2)) {
            HttpTrackerClient httpClient = new HttpTrackerClient(group, Duration.ofSeconds(5), "test");
            InfoHash hash = InfoHash.v1Of("six".getBytes());
            String httpUrl = "http://[::1]:" + http.address().getPort() + "/announce";
            String udpUrl = "udp://[::1]:" + udp.address().getPort() + "/announce";
            httpClient.announce(httpUrl, request(hash, "-AA0001-aaaaaaaaaaaa", 4001)).get(10, TimeUnit.SECONDS);
            AnnounceResponse viaUdp = udpClient.announce(udpUrl, request(hash, "-BB0001-bbbbbbbbbbbb", 4002)).get(10, TimeUnit.SECONDS);
            assertThat(viaUdp.peers()).containsExactly(new InetSocketAddress(v6, 4001));
            AnnounceResponse viaHttp = httpClient.announce(httpUrl, request(hash, "-CC0001-cccccccccccc", 4003)).get(10, TimeUnit.SECONDS);
            assertThat(viaHttp.peers()).containsExactlyInAnyOrder(new InetSocketAddress(v6, 4001), new InetSocketAddress(v6, 4002));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static AnnounceRequest request(InfoHash h, String peerId, int port) {
        return new AnnounceRequest(h, peerId.getBytes(), port, 0, 0, 5, AnnounceRequest.Event.STARTED, 50, 1, null);
    }
}
