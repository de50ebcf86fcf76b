package io.jtorrent.tracker;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
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
        // completed by hand, so a failure reaches callers as the UnknownHostException itself
        CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                InetSocketAddress a = new InetSocketAddress(h, port);
                if (a.isUnresolved()) {
                    result.completeExceptionally(new UnknownHostException("unknown host " + h));
                } else {
                    result.complete(a);
                }
            });
            return result;
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new UnknownHostException("too many host lookups waiting; " + h + " not looked up"));
        }
    }

    /**
     * Looks up every item's host at once; completes with the addresses found, in order, those that
     * could not be looked up left out.
     */
    public <T> CompletableFuture<java.util.List<InetSocketAddress>> resolveEach(java.util.Collection<T> items,
            java.util.function.Function<T, String> host, java.util.function.ToIntFunction<T> port) {
        java.util.List<CompletableFuture<InetSocketAddress>> lookups = new java.util.ArrayList<>();
        for (T item : items) {
            lookups.add(resolve(host.apply(item), port.applyAsInt(item)).exceptionally(e -> null));
        }
        return CompletableFuture.allOf(lookups.toArray(new CompletableFuture[0])).thenApply(v -> lookups.stream()
                .map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList());
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
