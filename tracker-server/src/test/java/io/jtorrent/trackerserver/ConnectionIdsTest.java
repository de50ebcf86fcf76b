package io.jtorrent.trackerserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Stateless UDP connection ids: SipHash-2-4 by its reference vectors, and an id's life. */
class ConnectionIdsTest {
    private static final long MINUTE = 60_000_000_000L;

    @Test
    void sipHashGivesTheReferenceOutputs() {
        // the SipHash paper's key 00 01 .. 0f (its two halves read little-endian); messages 00 01 .. (n-1)
        long k0 = 0x0706050403020100L;
        long k1 = 0x0f0e0d0c0b0a0908L;
        byte[] fifteen = new byte[15];
        for (int i = 0; i < 15; i++) {
            fifteen[i] = (byte) i;
        }
        assertThat(ConnectionIds.sipHash24(k0, k1, new byte[0])).isEqualTo(0x726fdb47dd0e0e31L);
        assertThat(ConnectionIds.sipHash24(k0, k1, fifteen)).as("the paper's worked example").isEqualTo(0xa129ca6149be45e5L);
    }

    @Test
    void anIdLivesItsMinuteAndTheNextForItsAddressAndPortOnly() {
        AtomicLong now = new AtomicLong(5 * MINUTE + 1);
        ConnectionIds ids = new ConnectionIds(ConnectionIds.newSecret(), now::get);
        InetSocketAddress a = new InetSocketAddress("10.0.0.1", 6881);
        long id = ids.issue(a);
        assertThat(ids.valid(a, id)).isTrue();
        assertThat(ids.valid(new InetSocketAddress("10.0.0.1", 6882), id)).as("another port").isFalse();
        assertThat(ids.valid(new InetSocketAddress("10.0.0.2", 6881), id)).as("another address").isFalse();
        assertThat(ids.valid(new InetSocketAddress("::1", 6881), id)).as("IPv6").isFalse();
        now.addAndGet(MINUTE);
        assertThat(ids.valid(a, id)).as("the next minute").isTrue();
        now.addAndGet(MINUTE);
        assertThat(ids.valid(a, id)).as("two minutes on").isFalse();
        assertThat(new ConnectionIds(ConnectionIds.newSecret(), now::get).valid(a, ids.issue(a))).as("another secret").isFalse();
        Set<Long> distinct = new HashSet<>();
        for (int port = 1; port <= 10_000; port++) {
            distinct.add(ids.issue(new InetSocketAddress("10.0.0.1", port)));
        }
        assertThat(distinct).hasSize(10_000);
    }
}
