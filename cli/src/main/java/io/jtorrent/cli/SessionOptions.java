package io.jtorrent.cli;

import io.jtorrent.engine.Settings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of every command that runs a session: ports, peers, limits, DHT. */
final class SessionOptions {
    @Option(names = {"-p", "--port"}, paramLabel = "N", description = "Port for incoming peers, TCP and uTP (default 6881; 0 picks a free one).")
    int port = 6881;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Local address to listen on and connect from (default: all).")
    String bind;

    @Option(names = "--peer", paramLabel = "HOST:PORT", converter = PeerAddress.class,
            description = "Connect to this peer (repeatable); no tracker needed.")
    List<InetSocketAddress> peers = new ArrayList<>();

    @Option(names = "--max-up", paramLabel = "RATE", converter = Rates.Converter.class,
            description = "Upload limit, bytes per second: 500k, 2M (default: unlimited).")
    long maxUp;

    @Option(names = "--max-down", paramLabel = "RATE", converter = Rates.Converter.class,
            description = "Download limit, bytes per second (default: unlimited).")
    long maxDown;

    @Option(names = "--no-dht", description = "Do not use the DHT (trackerless peer discovery, BEP 5).")
    boolean noDht;

    @Option(names = "--dht-port", paramLabel = "N", description = "UDP port of the DHT node (default: the same number as --port).")
    Integer dhtPort;

    @Option(names = "--dht-bootstrap", paramLabel = "HOST:PORT",
            description = "A node to join the DHT through (repeatable; replaces the public default routers).")
    List<String> dhtBootstrap = new ArrayList<>();

    /** Where a node joins the DHT when no --dht-bootstrap is given. */
    static final List<String> DEFAULT_DHT_ROUTERS = List.of("router.bittorrent.com:6881", "dht.transmissionbt.com:6881",
            "router.utorrent.com:6881");

    @Option(names = "--no-pex", description = "Do not exchange peers with peers (BEP 11).")
    boolean noPex;

    @Option(names = "--lsd", description = {"Local Service Discovery (BEP 14): multicast announces on the local network.",
            "Off by default."})
    boolean lsd;

    @Option(names = "--encryption", paramLabel = "POLICY", description = {
            "Encryption towards peers (Message Stream Encryption): required (only encrypted peers), preferred",
            "(dial encrypted, fall back to plaintext; the default) or tolerated (dial in plaintext, accept both)."})
    String encryption = "preferred";

    @Option(names = "--utp", negatable = true, defaultValue = "true", fallbackValue = "true", description = {
            "uTP (BEP 29) beside TCP on the same port number over UDP (sharing the DHT's socket): peers are",
            "dialled over uTP first, TCP after 3 s without an answer. On by default; --no-utp: TCP only."})
    boolean utp = true;

    @Option(names = "--no-tcp", description = "uTP only: no TCP port opened, none dialled (for tests).")
    boolean noTcp;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where resume data is kept (default: SAVE_DIR/.jtorrent).")
    Path stateDir;

    @Option(names = "--resume-interval", paramLabel = "SECONDS", description = "How often resume data is saved (default: 30).")
    int resumeInterval = 30;

    Settings settings(Path saveDir) throws BadInputException {
        if (resumeInterval < 1) {
            throw new BadInputException("--resume-interval must be at least 1 second");
        }
        Settings.Builder b = Settings.builder().listenPort(port).uploadLimit(maxUp).downloadLimit(maxDown)
                .resumeInterval(java.time.Duration.ofSeconds(resumeInterval))
                .resumeDirectory(stateDir != null ? stateDir : saveDir.resolve(".jtorrent"))
                .pex(!noPex).lsd(lsd).encryption(encryption(encryption)).utp(utp).tcp(!noTcp);
        if (noTcp && !utp) {
            throw new BadInputException("--no-tcp and --no-utp: peers need one transport");
        }
        bindAddress(b, bind);
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port: " + port + " is not a port number");
        }
        if (!noDht) {
            int udp = dhtPort != null ? dhtPort : port;
            if (udp < 0 || udp > 65535) {
                throw new BadInputException("--dht-port: " + udp + " is not a port number");
            }
            dht(b, udp, dhtBootstrap);
        }
        return b.build();
    }

    /** {@code --encryption}: the policy by name. */
    static Settings.Encryption encryption(String name) throws BadInputException {
        try {
            return Settings.Encryption.parse(name);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--encryption: " + e.getMessage());
        }
    }

    /** {@code --bind}: the local address for peers, if given. */
    static void bindAddress(Settings.Builder b, String bind) throws BadInputException {
        if (bind != null) {
            try {
                b.bindAddress(InetAddress.getByName(bind));
            } catch (UnknownHostException e) {
                throw new BadInputException("--bind: unknown address " + bind);
            }
        }
    }

    /** The DHT on UDP {@code port}, joining through {@code bootstrap} (HOST:PORT each) or the public routers. */
    static void dht(Settings.Builder b, int port, List<String> bootstrap) throws BadInputException {
        b.dhtPort(port);
        for (String node : bootstrap.isEmpty() ? DEFAULT_DHT_ROUTERS : bootstrap) {
            int colon = node.lastIndexOf(':');
            try {
                b.dhtBootstrap(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw new BadInputException("--dht-bootstrap: '" + node + "' is not HOST:PORT");
            }
        }
    }
}
