package io.jtorrent.tracker;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Host names to addresses off the event loops: a lookup (the system resolver blocks, for as long as
 * DNS takes) runs on a small pool of its own and completes a future; IP literals resolve at once
 * without asking anyone. At most {@link #MAX_QUEUED} lookups wait; more fail at once.
 */
public final class Resolver implements AutoCloseable {
    public static final int THREADS = 2;
    public static final int MAX_QUEUED = 256;

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
                Thread t = new Thread(r, "jtorrent-resolver");
                t.setDaemon(true);
                return t;
            });

    public Resolver() {
        pool.allowCoreThreadTimeOut(true);
    }

    /** The address of {@code host} (a name, an IPv4 literal, or an IPv6 literal with or without brackets). */
    public CompletableFuture<InetSocketAddress> resolve(String host, int port) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(h);
        if (literal != null) {
            try {
                return CompletableFuture.completedFuture(new InetSocketAddress(InetAddress.getByAddress(literal), port));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                InetSocketAddress a = new InetSocketAddress(h, port);
                if (a.isUnresolved()) {
                    throw new CompletionException(new UnknownHostException("unknown host " + h));
                }
                return a;
            }, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new UnknownHostException("too many host lookups waiting; " + h + " not looked up"));
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
