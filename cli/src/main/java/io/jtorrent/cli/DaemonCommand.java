package io.jtorrent.cli;

import io.jtorrent.daemon.Daemon;
import io.jtorrent.daemon.SettingsFile;
import io.jtorrent.engine.Settings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Run as a service with many torrents, a Transmission-compatible RPC and a web UI.",
                "transmission-remote works with it; the web UI is at http://RPC_BIND:RPC_PORT/, file streaming at",
                "/files/HASH/PATH, metrics at /metrics.",
                "Runs until SIGTERM or SIGINT, then stops cleanly; the state survives restarts and crashes.",
                "CONFIG_DIR/settings.json holds the settings under transmission-daemon's names (a settings.json from",
                "Transmission works); a flag given here wins over the file's value."})
final class DaemonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    LogOptions log;

    @Option(names = "--rpc-port", paramLabel = "N", description = "Port of the RPC and web UI (default: 9091; 0 picks a free one).")
    int rpcPort = 9091;

    @Option(names = "--rpc-bind", paramLabel = "ADDR", description = "Address of the RPC and web UI (default: 127.0.0.1).")
    String rpcBind = "127.0.0.1";

    @Option(names = {"-d", "--download-dir"}, paramLabel = "DIR", description = "Where torrents are saved unless told otherwise (default: ./downloads).")
    Path downloadDir = Path.of("downloads");

    @Option(names = "--config-dir", paramLabel = "DIR", description = "State, torrent files and resume data (default: ./jtorrent-daemon).")
    Path configDir = Path.of("jtorrent-daemon");

    @Option(names = "--watch-dir", paramLabel = "DIR", description = "Add every .torrent file that appears here.")
    Path watchDir;

    @Option(names = "--auth", paramLabel = "USER:PASS", description = "Require HTTP Basic authentication for everything (RPC, web UI, files, metrics). "
            + "Visible to other users in ps: prefer --auth-file or the JTORRENT_RPC_AUTH environment variable.")
    String auth;

    @Option(names = "--auth-file", paramLabel = "FILE", description = "Read USER:PASS for --auth from the first line of FILE.")
    Path authFile;

    @Option(names = "--rpc-host-whitelist", paramLabel = "NAMES", split = ",",
            description = "Host names the RPC and web UI answer to besides IP addresses and localhost (comma-separated, * wildcards; "
                    + "* alone turns the check off). Other names get 421: the defence against DNS rebinding.")
    java.util.List<String> hostWhitelist = new java.util.ArrayList<>();

    @Option(names = "--rpc-whitelist", paramLabel = "ADDRS", split = ",",
            description = "Client addresses allowed to use the RPC and web UI (comma-separated, * wildcards, e.g. 127.0.0.1,192.168.*.*; default: any).")
    java.util.List<String> clientWhitelist;

    @Option(names = "--allow-path", paramLabel = "DIR",
            description = "A directory, besides the download directory, where the RPC may put torrents (repeatable). The RPC cannot add more.")
    java.util.List<Path> allowedPaths = new java.util.ArrayList<>();

    @Option(names = "--script-dir", paramLabel = "DIR",
            description = "The directory whose programs the RPC may name as script-torrent-done-filename (run when a torrent completes, with Transmission's TR_* environment). Without it the RPC can make the daemon run nothing.")
    Path scriptDir;

    @Option(names = "--web-home", paramLabel = "DIR",
            description = "Serve the web client in DIR at /transmission/web/ instead of ours (Transmission's own, say: "
                    + "/usr/share/transmission/web). Default: the TRANSMISSION_WEB_HOME environment variable, else ours.")
    Path webHome;

    @Option(names = "--port", paramLabel = "N", description = "TCP port for peers (default: 51413; 0 picks a free one).")
    int port = 51413;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Local address for peer connections (default: all).")
    String bind;

    @Option(names = "--no-dht", description = "Do not use the DHT.")
    boolean noDht;

    @Option(names = "--dht-bootstrap", paramLabel = "HOST:PORT", description = "A node to join the DHT through (repeatable; replaces the public routers).")
    java.util.List<String> dhtBootstrap = new java.util.ArrayList<>();

    @Option(names = "--no-pex", description = "Do not exchange peers (BEP 11).")
    boolean noPex;

    @Option(names = "--lsd", description = "Local Service Discovery (BEP 14; multicast on the local network).")
    boolean lsd;

    @Option(names = "--encryption", paramLabel = "POLICY", description = {
            "Encryption towards peers: required, preferred (the default) or tolerated; written into",
            "settings.json, where session-set changes it too."})
    String encryption = "preferred";

    @Option(names = "--utp", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "uTP beside TCP, dialled first (on by default; --no-utp: TCP only; session-set utp-enabled changes it).")
    boolean utp = true;

    @Option(names = "--no-tcp", description = "uTP only: no TCP port opened, none dialled (for tests).")
    boolean noTcp;

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * Transmission's precedence: a flag given on the command line wins over settings.json, which
     * wins over the defaults. A flag for a setting the RPC can change (the download directory,
     * encryption, uTP) is also written into the file, where the daemon keeps that setting.
     */
    private void fromSettings(SettingsFile file) throws BadInputException {
        if (!given("--rpc-port")) {
            rpcPort = file.integer("rpc-port", rpcPort);
        }
        if (!given("--rpc-bind")) {
            rpcBind = file.string("rpc-bind-address", rpcBind);
        }
        if (given("--download-dir")) {
            file.set("download-dir", downloadDir.toAbsolutePath().toString());
        } else if (file.has("download-dir")) {
            downloadDir = Path.of(file.string("download-dir", ""));
        }
        if (!given("--watch-dir") && file.bool("watch-dir-enabled", false) && file.has("watch-dir")) {
            watchDir = Path.of(file.string("watch-dir", ""));
        }
        if (auth == null) {
            auth = file.credentials();
        }
        if (!given("--rpc-host-whitelist")) {
            hostWhitelist = file.bool("rpc-host-whitelist-enabled", true) ? file.list("rpc-host-whitelist") : java.util.List.of("*");
        }
        if (!given("--rpc-whitelist") && file.bool("rpc-whitelist-enabled", false)) {
            clientWhitelist = file.list("rpc-whitelist");
        }
        if (!given("--port")) {
            port = file.integer("peer-port", port);
        }
        if (!given("--bind") && file.has("bind-address-ipv4") && !file.string("bind-address-ipv4", "").equals("0.0.0.0")) {
            bind = file.string("bind-address-ipv4", null);
        }
        if (!given("--no-dht")) {
            noDht = !file.bool("dht-enabled", true);
        }
        if (!given("--no-pex")) {
            noPex = !file.bool("pex-enabled", true);
        }
        if (!given("--lsd")) {
            lsd = file.bool("lpd-enabled", false);
        }
        if (given("--encryption")) {
            file.setEncryption(SessionOptions.encryption(encryption).label());
        }
        if (given("--utp")) {
            file.set("utp-enabled", utp);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (authFile != null) {
            if (auth != null) {
                throw new BadInputException("--auth and --auth-file: give one");
            }
            try {
                auth = java.nio.file.Files.readAllLines(authFile).stream().findFirst().orElse("").strip();
            } catch (java.io.IOException e) {
                throw new BadInputException("cannot read --auth-file " + authFile + ": " + e.getMessage());
            }
            if (!auth.contains(":")) {
                throw new BadInputException("--auth-file " + authFile + ": the first line must be USER:PASS");
            }
        }
        if (auth == null && System.getenv("JTORRENT_RPC_AUTH") != null && !System.getenv("JTORRENT_RPC_AUTH").isEmpty()) {
            auth = System.getenv("JTORRENT_RPC_AUTH");
            if (!auth.contains(":")) {
                throw new BadInputException("JTORRENT_RPC_AUTH must be USER:PASS");
            }
        }
        if (auth != null && !auth.contains(":")) {
            throw new BadInputException("--auth must be USER:PASS");
        }
        SettingsFile file;
        try {
            file = SettingsFile.load(configDir);
        } catch (java.io.IOException e) {
            throw new BadInputException(e.getMessage());
        }
        fromSettings(file);
        String envHome = System.getenv("TRANSMISSION_WEB_HOME");
        if (webHome == null && envHome != null && !envHome.isBlank()) {
            webHome = Path.of(envHome);
        }
        if (rpcPort < 0 || rpcPort > 65535 || port < 0 || port > 65535) {
            throw new BadInputException("ports are 0..65535");
        }
        if (noTcp && !utp) {
            throw new BadInputException("--no-tcp and --no-utp: peers need one transport");
        }
        Settings.Builder s = Settings.builder().listenPort(port).pex(!noPex).lsd(lsd)
                .encryption(SessionOptions.encryption(encryption)).utp(utp).tcp(!noTcp)
                .umask(file.umask());
        SessionOptions.bindAddress(s, bind);
        if (!noDht) {
            SessionOptions.dht(s, port, dhtBootstrap);
        }
        try {
            file.write(); // a flag's value for a setting the RPC changes, a password hashed: there for the daemon
        } catch (java.io.IOException e) {
            throw new BadInputException("cannot write " + configDir.resolve("settings.json") + ": " + e.getMessage());
        }
        Daemon daemon;
        try {
            daemon = Daemon.start(new Daemon.Options(configDir, downloadDir, watchDir, rpcBind, rpcPort, auth, s,
                    new Daemon.Security(hostWhitelist, clientWhitelist, allowedPaths, java.time.Duration.ofSeconds(30), scriptDir)
                            .withWebHome(webHome)));
        } catch (java.io.IOException e) {
            throw new BadInputException(e.getMessage());
        }
        Thread hook = new Thread(daemon::close, "jtorrent-daemon-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        var err = spec.commandLine().getErr();
        err.printf("jtorrent daemon: RPC and web UI on http://%s:%d/, peers on port %d, state in %s%n", rpcBind,
                daemon.rpcPort(), daemon.peerPort(), configDir.toAbsolutePath());
        err.flush();
        daemon.awaitShutdown();
        return ExitCode.OK;
    }
}
