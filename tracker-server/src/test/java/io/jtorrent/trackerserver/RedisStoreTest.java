package io.jtorrent.trackerserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.metainfo.InfoHash;
import io.jtorrent.testkit.RedisServer;
import io.jtorrent.tracker.AnnounceRequest;
import io.jtorrent.tracker.AnnounceResponse;
import io.jtorrent.tracker.HttpTrackerClient;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two tracker instances on one redis-server share every swarm; killing one loses nothing. */
class RedisStoreTest {
    @TempDir
    Path tmp;

    @Test
    void twoInstancesShareSwarmsThroughRedis() throws Exception {
        InfoHash hash = InfoHash.v1Of("redis".getBytes());
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        HttpTrackerClient client = new HttpTrackerClient(group, Duration.ofSeconds(5), "test");
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"))) {
            TrackerServer a = new TrackerServer(any, new RedisStore(redis.uri(), Duration.ofMinutes(2)), 60, null, 1);
            try (TrackerServer b = new TrackerServer(any, new RedisStore(redis.uri(), Duration.ofMinutes(2)), 60, null, 1)) {
                AnnounceResponse first = client.announce(a.announceUrl(), request(hash, "-AA0001-aaaaaaaaaaaa", 3001, 0,
                        AnnounceRequest.Event.STARTED)).get(10, TimeUnit.SECONDS);
                assertThat(first.peers()).isEmpty();
                AnnounceResponse second = client.announce(b.announceUrl(), request(hash, "-BB0001-bbbbbbbbbbbb", 3002, 9,
                        AnnounceRequest.Event.STARTED)).get(10, TimeUnit.SECONDS);
                assertThat(second.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 3001));
                assertThat(second.complete()).isEqualTo(1);
                assertThat(second.incomplete()).isEqualTo(1);

                a.close(); // one instance goes away: the swarm is still there
                AnnounceResponse third = client.announce(b.announceUrl(), request(hash, "-CC0001-cccccccccccc", 3003, 9,
                        AnnounceRequest.Event.STARTED)).get(10, TimeUnit.SECONDS);
                assertThat(third.peers()).containsExactlyInAnyOrder(new InetSocketAddress("127.0.0.1", 3001),
                        new InetSocketAddress("127.0.0.1", 3002));

                client.announce(b.announceUrl(), request(hash, "-AA0001-aaaaaaaaaaaa", 3001, 0, AnnounceRequest.Event.STOPPED))
                        .get(10, TimeUnit.SECONDS);
                assertThat(b.store().scrape(hash.truncated20()).complete()).isZero();
                assertThat(b.store().scrape(hash.truncated20()).incomplete()).isEqualTo(2);
                assertThat(b.store().totals()).containsExactly(1, 2, 0);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static AnnounceRequest request(InfoHash h, String peerId, int port, long left, AnnounceRequest.Event e) {
        return new AnnounceRequest(h, peerId.getBytes(), port, 0, 0, left, e, 50, 1, null);
    }
}
