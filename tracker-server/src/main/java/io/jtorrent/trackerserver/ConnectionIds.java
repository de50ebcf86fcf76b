package io.jtorrent.trackerserver;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * UDP tracker connection ids that need no state per client: the first 8 bytes of an HMAC-SHA256
 * of the client's address and port and the current minute, under a secret made at start. An id is
 * accepted in its minute and the next, so it lives one to two minutes (BEP 15 asks for at least
 * one). Thread-safe: each thread keeps its own MAC.
 */
final class ConnectionIds {
    private static final long WINDOW_NANOS = 60_000_000_000L;

    private final ThreadLocal<Mac> mac;
    private final LongSupplier clock;

    ConnectionIds(byte[] secret, LongSupplier nanoClock) {
        byte[] key = secret.clone();
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(key, "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every JDK has HmacSHA256", e);
            }
        });
        this.clock = nanoClock;
    }

    static byte[] newSecret() {
        byte[] s = new byte[32];
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
        Mac m = mac.get();
        m.update(client.getAddress().getAddress());
        m.update(ByteBuffer.allocate(12).putInt(client.getPort()).putLong(window).array());
        return ByteBuffer.wrap(m.doFinal()).getLong();
    }
}
