package io.jtorrent.trackerserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.testkit.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The tracker tried as an attacker would: forged stops, peer-id harvesting, stalls, full stores, a paused Redis. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TrackerAttackTest {
    @TempDir
    Path tmp;

    private static final String HASH = "%01%02%03%04%05%06%07%08%09%10%11%12%13%14%15%16%17%18%19%20";
    private static final String VICTIM_ID = "-VV0001-victimvictim";

    /** One GET from {@code from} (a loopback address of its own), the whole answer as ISO-8859-1. */
    private static String get(TrackerServer t, String from, String pathAndQuery) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(t.address(), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            String all = out.toString(StandardCharsets.ISO_8859_1);
            return all.substring(all.indexOf("\r\n\r\n") + 4);
        }
    }

    private static String announce(String peerId, int port, String extra) {
        return "/announce?info_hash=" + HASH + "&peer_id=" + peerId + "&port=" + port + "&left=10&compact=0" + extra;
    }

    @Test
    void aStopFromAnotherAddressLeavesThePeerAndAnswersCarryNoPeerIds() throws Exception {
        try (TrackerServer t = TrackerServer.inMemory(new InetSocketAddress("127.0.0.1", 0), 60)) {
            get(t, "127.0.0.1", announce(VICTIM_ID, 6881, "&event=started"));
            // the attacker knows the victim's id and port, and sends stopped from its own address
            get(t, "127.0.0.9", announce(VICTIM_ID, 6881, "&event=stopped"));
            String seen = get(t, "127.0.0.3", announce("-OO0001-observer0000", 7000, ""));
            assertThat(seen).contains("9:127.0.0.1", "4:porti6881e");
            // ids are not handed out, even in the dictionary model
            assertThat(seen).doesNotContain("peer id", "victim");
            // the victim itself can stop
            get(t, "127.0.0.1", announce(VICTIM_ID, 6881, "&event=stopped"));
            assertThat(get(t, "127.0.0.3", announce("-OO0001-observer0000", 7000, ""))).doesNotContain("127.0.0.1");
        }
    }

    @Test
    void fullStoresAnswerWithAReasonAndStalledConnectionsAreClosed() throws Exception {
        MemoryStore small = new MemoryStore(TimeUnit.MINUTES.toNanos(2), System::nanoTime, 1, 2);
        try (TrackerServer t = new TrackerServer(new InetSocketAddress("127.0.0.1", 0), small, 60, null, 1, Duration.ofSeconds(1))) {
            assertThat(get(t, "127.0.0.1", announce("-AA0001-aaaaaaaaaaaa", 1, ""))).doesNotContain("failure");
            assertThat(get(t, "127.0.0.1", announce("-AA0001-aaaaaaaaaaaa", 2, ""))).doesNotContain("failure");
            assertThat(get(t, "127.0.0.1", announce("-AA0001-aaaaaaaaaaaa", 3, ""))).contains("failure reason", "swarm is full");
            assertThat(get(t, "127.0.0.1", "/announce?info_hash=%02%02%03%04%05%06%07%08%09%10%11%12%13%14%15%16%17%18%19%20"
                    + "&peer_id=-AA0001-aaaaaaaaaaaa&port=4")).contains("failure reason", "as many torrents");
            // a partial request line, then silence: closed after the idle timeout
            try (Socket s = new Socket()) {
                s.connect(t.address(), 5000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /announce?info".getBytes(StandardCharsets.US_ASCII));
                long t0 = System.nanoTime();
                assertThat(s.getInputStream().read()).isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
            }
        }
    }

    @Test
    void announcesPerAddressAreCappedPerInterval() throws Exception {
        try (TrackerServer t = TrackerServer.inMemory(new InetSocketAddress("127.0.0.1", 0), 60)) {
            t.limitAnnouncesPerAddress(3, true);
            for (int i = 0; i < 3; i++) {
                assertThat(get(t, "127.0.0.1", announce("-AA0001-aaaaaaaaaaaa", 100 + i, ""))).doesNotContain("failure");
            }
            assertThat(get(t, "127.0.0.1", announce("-AA0001-aaaaaaaaaaaa", 200, ""))).contains("failure reason", "too many announces");
        }
        // the budget alone, on a virtual clock: refilled over the interval, per address
        long[] now = {0};
        AnnounceBudget b = new AnnounceBudget(2, TimeUnit.SECONDS.toNanos(60), () -> now[0], false);
        InetAddress a = InetAddress.getByName("198.51.100.4");
        assertThat(b.take(a)).isTrue();
        assertThat(b.take(a)).isTrue();
        assertThat(b.take(a)).isFalse();
        assertThat(b.take(InetAddress.getByName("198.51.100.5"))).isTrue();
        assertThat(b.take(InetAddress.getLoopbackAddress())).as("loopback not counted by default").isTrue();
        now[0] += TimeUnit.SECONDS.toNanos(30);
        assertThat(b.take(a)).isTrue();
        assertThat(b.take(a)).isFalse();
    }

    @Test
    void aPausedRedisGetsAFailureAnswerNotAHang() throws Exception {
        try (RedisServer redis = RedisServer.start(tmp.resolve("redis"));
             TrackerServer t = new TrackerServer(new InetSocketAddress("127.0.0.1", 0),
                     new RedisStore(redis.uri(), Duration.ofMinutes(2)), 60, null, 1)) {
            assertThat(get(t, "127.0.0.1", announce("-AA0001-aaaaaaaaaaaa", 1, ""))).doesNotContain("failure");
            Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(redis.pid())).start();
            assertThat(stop.waitFor(5, TimeUnit.SECONDS)).isTrue();
            try {
                long t0 = System.nanoTime();
                var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return get(t, "127.0.0.1", announce("-BB0001-bbbbbbbbbbbb", 2, ""));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                Thread.sleep(200);
                // the event loop is not held by the waiting announce: other requests are answered meanwhile
                long t1 = System.nanoTime();
                assertThat(get(t, "127.0.0.1", "/nothing")).contains("not found");
                assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(1));
                assertThat(waiting.get(20, TimeUnit.SECONDS)).contains("failure reason", "unavailable");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(RedisStore.COMMAND_TIMEOUT.plusSeconds(5));
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(redis.pid())).start().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
