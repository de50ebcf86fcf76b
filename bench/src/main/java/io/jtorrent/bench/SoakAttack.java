package io.jtorrent.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hostile side of {@code bench/soak.sh}: against one seeder on 127.0.0.1, for a bounded time,
 * <ul>
 *   <li>{@code connections} attempted peer connections, spread over the first {@value #CHURN_SECONDS} s, each a handshake for
 *       the torrent followed by garbage, a bogus message length or an immediate close;</li>
 *   <li>{@code idle} sockets held open without a byte sent (reopened when the seeder closes them);</li>
 *   <li>{@code flooders} peers that handshake, say interested and send requests without ever
 *       reading (reconnecting when closed).</li>
 * </ul>
 * Every socket goes to the given loopback address and port, and every loop ends by the deadline.
 * Prints what it did, one {@code key=value} line.
 *
 * <pre>java -cp bench.jar io.jtorrent.bench.SoakAttack PORT INFOHASH_HEX SECONDS [CONNECTIONS=1000] [IDLE=200] [FLOODERS=4]</pre>
 */
public final class SoakAttack {
    /** The attempted connections are spread over this long (or the whole run, if shorter). */
    static final long CHURN_SECONDS = 8;

    private final InetSocketAddress target;
    private final byte[] handshake;
    private final long deadline;
    private final AtomicLong attempted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong floodBytes = new AtomicLong();
    private final AtomicLong floodReconnects = new AtomicLong();
    private final AtomicLong idleReopened = new AtomicLong();

    private SoakAttack(int port, byte[] infoHash, long seconds) {
        this.target = new InetSocketAddress("127.0.0.1", port);
        this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ByteBuffer h = ByteBuffer.allocate(68);
        h.put((byte) 19).put("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
        h.put(new byte[] {0, 0, 0, 0, 0, 0x10, 0, 0x04}).put(infoHash);
        h.put("-XX0001-".getBytes(StandardCharsets.US_ASCII)).put(new byte[12]);
        this.handshake = h.array();
    }

    private boolean running() {
        return System.nanoTime() < deadline;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        s.connect(target, 2000);
        return s;
    }

    /** Attempted connections, evenly over the run: handshake then garbage, a 2 GiB length, or nothing. */
    private void churn(int count, long seconds) {
        long gap = TimeUnit.SECONDS.toNanos(seconds) / Math.max(1, count);
        long next = System.nanoTime();
        for (int i = 0; i < count && running(); i++) {
            attempted.incrementAndGet();
            try (Socket s = connect()) {
                s.setSoLinger(true, 0);
                OutputStream out = s.getOutputStream();
                switch (i % 3) {
                    case 0 -> {
                        out.write(handshake);
                        out.write(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 7});
                    }
                    case 1 -> {
                        out.write(handshake);
                        byte[] junk = new byte[1024];
                        new java.util.Random(i).nextBytes(junk);
                        out.write(junk);
                    }
                    default -> {
                        // connect and go
                    }
                }
                out.flush();
            } catch (IOException e) {
                refused.incrementAndGet();
            }
            next += gap;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleep(wait);
            }
        }
    }

    /** Keeps {@code count} silent sockets open; the seeder may close them, they are reopened. */
    private void idle(int count) {
        List<Socket> held = new ArrayList<>();
        try {
            while (running()) {
                held.removeIf(s -> {
                    try {
                        s.setSoTimeout(1);
                        if (s.getInputStream().read() < 0) {
                            s.close();
                            return true;
                        }
                    } catch (java.net.SocketTimeoutException open) {
                        return false;
                    } catch (IOException e) {
                        return true;
                    }
                    return false;
                });
                while (held.size() < count && running()) {
                    try {
                        held.add(connect());
                        idleReopened.incrementAndGet();
                    } catch (IOException e) {
                        refused.incrementAndGet();
                        break;
                    }
                }
                sleep(TimeUnit.MILLISECONDS.toNanos(500));
            }
        } finally {
            for (Socket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    /** A peer that asks for blocks as fast as it can and never reads an answer. */
    private void flood(int pieces) {
        ByteBuffer batch = ByteBuffer.allocate(5 + 4096 * 17);
        batch.putInt(1).put((byte) 2);
        for (int i = 0; i < 4096; i++) {
            batch.putInt(13).put((byte) 6).putInt(i % pieces).putInt(0).putInt(16384);
        }
        byte[] bytes = batch.array();
        while (running()) {
            try (Socket s = connect()) {
                s.setSoTimeout(1000);
                OutputStream out = s.getOutputStream();
                out.write(handshake);
                while (running()) {
                    out.write(bytes);
                    floodBytes.addAndGet(bytes.length);
                }
            } catch (IOException e) {
                floodReconnects.incrementAndGet();
                sleep(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        byte[] hash = HexFormat.of().parseHex(args[1]);
        long seconds = Long.parseLong(args[2]);
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int idle = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        int flooders = args.length > 5 ? Integer.parseInt(args[5]) : 4;
        int pieces = args.length > 6 ? Integer.parseInt(args[6]) : 256;
        SoakAttack a = new SoakAttack(port, hash, seconds);
        // the summary is printed however the run ends (its deadline, or the script's SIGTERM)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.printf(
                "attack connections=%d refused_or_reset=%d idle_opened=%d flood_mb=%.1f flood_reconnects=%d%n",
                a.attempted.get(), a.refused.get(), a.idleReopened.get(), a.floodBytes.get() / 1e6, a.floodReconnects.get())));
        ExecutorService pool = Executors.newFixedThreadPool(2 + flooders, r -> {
            Thread t = new Thread(r, "soak-attack");
            t.setDaemon(true); // a flooder blocked in a write to a seeder that stopped reading ends with the process
            return t;
        });
        // the connection attempts come within the first seconds, while the honest download runs
        pool.execute(() -> a.churn(connections, Math.min(seconds, CHURN_SECONDS)));
        pool.execute(() -> a.idle(idle));
        for (int i = 0; i < flooders; i++) {
            pool.execute(() -> a.flood(pieces));
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 5, TimeUnit.SECONDS);
        System.exit(0);
    }
}
