package io.jtorrent.bench;

import io.jtorrent.tracker.UdpTrackerProtocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A UDP announce load (BEP 15) for comparing trackers: C clients, each its own socket, connecting
 * once and then announcing in a closed loop (one request in flight each) with random peer ids over
 * a pool of info-hashes, for S seconds. Prints announces/s and latency percentiles.
 *
 * <p>The clients are multiplexed over one thread per core, each waiting on a selector for the
 * replies of its clients: the load shares the machine with the tracker it measures, and a thread
 * per client blocked in receive cost more CPU per announce (a wake-up for each reply) than the
 * trackers themselves, so that the load, not the tracker, set the rate. A request unanswered for a
 * second is counted as a timeout and sent anew; an error reply is counted, not timed, and the client
 * connects again.
 *
 * <pre>UdpAnnounceLoad HOST PORT SECONDS CLIENTS HASHES_FILE</pre>
 */
public final class UdpAnnounceLoad {
    private static final long TIMEOUT_NANOS = 1_000_000_000L;
    private static final long RECONNECT_NANOS = 50_000_000_000L;

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
        int threads = Math.max(1, Math.min(clients, Runtime.getRuntime().availableProcessors()));
        List<Loop> loops = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            loops.add(new Loop(tracker, clients / threads + (t < clients % threads ? 1 : 0), hashes, end));
        }
        List<Thread> running = new ArrayList<>();
        for (Loop loop : loops) {
            Thread t = new Thread(loop, "udp-load");
            t.start();
            running.add(t);
        }
        for (Thread t : running) {
            t.join();
        }
        long[] all = new long[0];
        long lost = 0;
        long refused = 0;
        for (Loop loop : loops) {
            if (loop.failure != null) {
                throw new IllegalStateException(loop.failure);
            }
            int at = all.length;
            all = Arrays.copyOf(all, at + loop.count);
            System.arraycopy(loop.latencies, 0, all, at, loop.count);
            lost += loop.timeouts;
            refused += loop.errors;
        }
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "udp announces/s %.0f p50_ms %.3f p99_ms %.3f timeouts %d errors %d%n",
                all.length / (double) seconds, pct(all, 0.50), pct(all, 0.99), lost, refused);
    }

    /** One thread's clients, each a connected socket with one request in flight. */
    private static final class Loop implements Runnable {
        private final InetSocketAddress tracker;
        private final int clients;
        private final List<byte[]> hashes;
        private final long end;
        final long[] latencies = new long[8_000_000];
        int count;
        long timeouts;
        long errors;
        Exception failure;

        Loop(InetSocketAddress tracker, int clients, List<byte[]> hashes, long end) {
            this.tracker = tracker;
            this.clients = clients;
            this.hashes = hashes;
            this.end = end;
        }

        /** A client: its socket, connection id, and the request in flight. */
        private static final class Client {
            DatagramChannel channel;
            long connectionId = -1;
            long connectedAt;
            int tx;
            boolean connecting;
            long sentAt;
        }

        @Override
        public void run() {
            List<Client> all = new ArrayList<>();
            try (Selector selector = Selector.open()) {
                for (int c = 0; c < clients; c++) {
                    Client client = new Client();
                    client.channel = DatagramChannel.open();
                    client.channel.connect(tracker);
                    client.channel.configureBlocking(false);
                    client.channel.register(selector, SelectionKey.OP_READ, client);
                    all.add(client);
                    send(client);
                }
                ByteBuffer in = ByteBuffer.allocate(2048);
                while (System.nanoTime() < end) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        Client client = (Client) key.attachment();
                        in.clear();
                        try {
                            while (client.channel.read(in) > 0) {
                                in.flip();
                                answered(client, in);
                                in.clear();
                            }
                        } catch (PortUnreachableException e) {
                            // nobody listening yet (or any more): the request times out and is sent again
                        }
                    }
                    selector.selectedKeys().clear();
                    long now = System.nanoTime();
                    for (Client client : all) {
                        if (now - client.sentAt > TIMEOUT_NANOS) {
                            timeouts++;
                            send(client); // a connect unanswered is sent again: the id is still -1 or too old
                        }
                    }
                }
            } catch (IOException e) {
                failure = e;
            } finally {
                for (Client client : all) {
                    try {
                        client.channel.close();
                    } catch (IOException ignored) {
                        // the run is over
                    }
                }
            }
        }

        /** A reply: a connect's gives the id; an announce's is timed; either way the next request goes out. */
        private void answered(Client client, ByteBuffer in) throws IOException {
            if (in.remaining() < 8 || in.getInt(4) != client.tx) {
                return; // an answer to a request given up on
            }
            long now = System.nanoTime();
            int action = in.getInt(0);
            if (client.connecting) {
                if (in.remaining() < 16 || action != UdpTrackerProtocol.CONNECT) {
                    return;
                }
                client.connectionId = in.getLong(8);
                client.connectedAt = now;
            } else if (action == UdpTrackerProtocol.ANNOUNCE) {
                if (count < latencies.length) {
                    latencies[count++] = now - client.sentAt;
                }
            } else {
                errors++; // refused (an expired connection id, say): connect again
                client.connectionId = -1;
            }
            send(client);
        }

        private void send(Client client) throws IOException {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            long now = System.nanoTime();
            client.tx = r.nextInt();
            client.connecting = client.connectionId == -1 || now - client.connectedAt > RECONNECT_NANOS;
            byte[] req;
            if (client.connecting) {
                req = UdpTrackerProtocol.connectRequest(client.tx);
            } else {
                byte[] peerId = new byte[20];
                r.nextBytes(peerId);
                req = UdpTrackerProtocol.announceRequest(new UdpTrackerProtocol.Announce(client.connectionId, client.tx,
                        hashes.get(r.nextInt(hashes.size())), peerId, 0, r.nextInt(2) * 1000L, 0, 0, 0, r.nextInt(), 50,
                        1024 + r.nextInt(60000)));
            }
            client.sentAt = now;
            try {
                client.channel.write(ByteBuffer.wrap(req));
            } catch (PortUnreachableException e) {
                // an earlier datagram was refused: this one is lost and times out
            }
        }
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e6;
    }
}
