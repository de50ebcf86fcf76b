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
    @Option(names = {"-p", "--port"}, paramLabel = "N", description = "TCP port for incoming peers (default 6881; 0 picks a free one).")
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

    @Option(names = "--no-dht", description = "Do not use the DHT (the DHT is not implemented yet: always off).")
    boolean noDht;

    @Option(names = "--dht-bootstrap", paramLabel = "HOST:PORT", description = "DHT bootstrap node (repeatable; unused until the DHT lands).")
    List<String> dhtBootstrap = new ArrayList<>();

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
                .resumeDirectory(stateDir != null ? stateDir : saveDir.resolve(".jtorrent"));
        if (bind != null) {
            try {
                b.bindAddress(InetAddress.getByName(bind));
            } catch (UnknownHostException e) {
                throw new BadInputException("--bind: unknown address " + bind);
            }
        }
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port: " + port + " is not a port number");
        }
        return b.build();
    }
}
