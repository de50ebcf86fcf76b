package io.jtorrent.trackerserver;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.function.LongSupplier;

/**
 * UDP tracker connection ids that need no state per client: SipHash-2-4 (a keyed pseudo-random
 * function made for short inputs) of the client's address and port and the current minute, under a
 * 128-bit secret made at start. An id is accepted in its minute and the next, so it lives one to
 * two minutes (BEP 15 asks for at least one). Thread-safe, no allocation but the input's bytes.
 * (HMAC-SHA256 did the same job at ~4% of a UDP announce's CPU.)
 */
final class ConnectionIds {
    private static final long WINDOW_NANOS = 60_000_000_000L;

    private final long k0;
    private final long k1;
    private final LongSupplier clock;

    /** @param secret 16 bytes */
    ConnectionIds(byte[] secret, LongSupplier nanoClock) {
        if (secret.length != 16) {
            throw new IllegalArgumentException("a 16-byte secret, not " + secret.length);
        }
        this.k0 = littleEndian(secret, 0, 8);
        this.k1 = littleEndian(secret, 8, 8);
        this.clock = nanoClock;
    }

    static byte[] newSecret() {
        byte[] s = new byte[16];
        new SecureRandom().nextBytes(s);
        return s;
    }

    long issue(InetSocketAddress client) {
        return id(client, clock.getAsLong() / WINDOW_NANOS);
    }

    boolean valid(InetSocketAddress client, long id) {
        long window = clock.getAsLong() / WINDOW_NANOS;
        return id == id(client, window) || id == id(client, window - 1);
    }

    private long id(InetSocketAddress client, long window) {
        byte[] address = client.getAddress().getAddress();
        byte[] in = new byte[address.length + 10];
        System.arraycopy(address, 0, in, 0, address.length);
        int at = address.length;
        in[at] = (byte) (client.getPort() >> 8);
        in[at + 1] = (byte) client.getPort();
        for (int i = 0; i < 8; i++) {
            in[at + 2 + i] = (byte) (window >>> (8 * i));
        }
        return sipHash24(k0, k1, in);
    }

    /** SipHash-2-4 of {@code m} under the key (k0, k1), as its reference implementation computes it. */
    static long sipHash24(long k0, long k1, byte[] m) {
        long[] v = {0x736f6d6570736575L ^ k0, 0x646f72616e646f6dL ^ k1, 0x6c7967656e657261L ^ k0, 0x7465646279746573L ^ k1};
        int whole = m.length - m.length % 8;
        for (int i = 0; i <= whole; i += 8) {
            // the last word: the remaining bytes and the length in its top byte
            long word = i < whole ? littleEndian(m, i, 8) : ((long) m.length << 56) | littleEndian(m, whole, m.length - whole);
            v[3] ^= word;
            rounds(v, 2);
            v[0] ^= word;
        }
        v[2] ^= 0xff;
        rounds(v, 4);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    /** SipRound, {@code n} times. */
    private static void rounds(long[] v, int n) {
        for (int r = 0; r < n; r++) {
            v[0] += v[1]; v[1] = Long.rotateLeft(v[1], 13); v[1] ^= v[0]; v[0] = Long.rotateLeft(v[0], 32);
            v[2] += v[3]; v[3] = Long.rotateLeft(v[3], 16); v[3] ^= v[2];
            v[0] += v[3]; v[3] = Long.rotateLeft(v[3], 21); v[3] ^= v[0];
            v[2] += v[1]; v[1] = Long.rotateLeft(v[1], 17); v[1] ^= v[2]; v[2] = Long.rotateLeft(v[2], 32);
        }
    }

    private static long littleEndian(byte[] b, int from, int count) {
        long v = 0;
        for (int i = count - 1; i >= 0; i--) {
            v = (v << 8) | (b[from + i] & 0xffL);
        }
        return v;
    }
}
