package io.jtorrent.bench;

import io.jtorrent.tracker.UdpTrackerProtocol;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A UDP announce load (BEP 15) for comparing trackers: C clients, each connecting once and then
 * announcing in a closed loop (one request in flight each) with random peer ids over a pool of
 * info-hashes, for S seconds. Prints announces/s and latency percentiles.
 *
 * <pre>UdpAnnounceLoad HOST PORT SECONDS CLIENTS HASHES_FILE</pre>
 */
public final class UdpAnnounceLoad {
    private UdpAnnounceLoad() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress tracker = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        long seconds = Long.parseLong(args[2]);
        int clients = Integer.parseInt(args[3]);
        List<byte[]> hashes = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[4]))) {
            if (!line.isBlank()) {
                hashes.add(HexFormat.of().parseHex(line.trim()));
            }
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        List<long[]> latencies = new ArrayList<>();
        long[] timeouts = new long[clients];
        for (int c = 0; c < clients; c++) {
            long[] lat = new long[4_000_000];
            latencies.add(lat);
            int index = c;
            Thread t = new Thread(() -> {
                try (DatagramChannel ch = DatagramChannel.open()) {
                    ch.connect(tracker);
                    ch.socket().setSoTimeout(1000);
                    ByteBuffer in = ByteBuffer.allocate(2048);
                    long connectionId = -1;
                    long connectedAt = 0;
                    int n = 0;
                    while (System.nanoTime() < end) {
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        if (connectionId == -1 || System.nanoTime() - connectedAt > 50_000_000_000L) {
                            int tx = r.nextInt();
                            ch.write(ByteBuffer.wrap(UdpTrackerProtocol.connectRequest(tx)));
                            in.clear();
                            if (!receive(ch, in)) {
                                timeouts[index]++;
                                continue;
                            }
                            connectionId = in.getLong(8);
                            connectedAt = System.nanoTime();
                        }
                        byte[] peerId = new byte[20];
                        r.nextBytes(peerId);
                        int tx = r.nextInt();
                        byte[] req = UdpTrackerProtocol.announceRequest(new UdpTrackerProtocol.Announce(connectionId, tx,
                                hashes.get(r.nextInt(hashes.size())), peerId, 0, r.nextInt(2) * 1000L, 0, 0, 0, r.nextInt(), 50,
                                1024 + r.nextInt(60000)));
                        long t0 = System.nanoTime();
                        ch.write(ByteBuffer.wrap(req));
                        in.clear();
                        if (!receive(ch, in)) {
                            timeouts[index]++;
                            continue;
                        }
                        if (n < lat.length) {
                            lat[n++] = System.nanoTime() - t0;
                        }
                    }
                    lat[lat.length - 1] = n; // the count, in the last slot
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        List<Long> all = new ArrayList<>();
        for (long[] lat : latencies) {
            int n = (int) lat[lat.length - 1];
            for (int i = 0; i < n; i++) {
                all.add(lat[i]);
            }
        }
        all.sort(null);
        long lost = java.util.Arrays.stream(timeouts).sum();
        System.out.printf(Locale.ROOT, "udp announces/s %.0f p50_ms %.3f p99_ms %.3f timeouts %d%n", all.size() / (double) seconds,
                pct(all, 0.50), pct(all, 0.99), lost);
    }

    private static boolean receive(DatagramChannel ch, ByteBuffer in) throws Exception {
        try {
            ch.socket().getChannel().configureBlocking(true);
            var s = ch.socket();
            java.net.DatagramPacket p = new java.net.DatagramPacket(in.array(), in.capacity());
            s.receive(p);
            in.limit(p.getLength());
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size())) / 1e6;
    }
}
