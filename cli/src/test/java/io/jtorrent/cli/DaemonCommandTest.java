package io.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `daemon`'s defaults and its refusals of bad options (one line, status 2). */
class DaemonCommandTest {
    @Test
    void theRpcListensOnLoopbackUnlessToldOtherwise() {
        DaemonCommand c = new DaemonCommand();
        new CommandLine(c).parseArgs();
        assertThat(c.rpcBind).isEqualTo("127.0.0.1");
        assertThat(c.rpcPort).isEqualTo(9091);
        assertThat(c.auth).isNull();
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    @Test
    void badOptionsAreOneLineErrors() throws Exception {
        Cli noColon = Cli.run("daemon", "--auth", "alice", "--no-dht");
        assertThat(noColon.status()).isEqualTo(2);
        assertThat(noColon.err()).contains("USER:PASS").doesNotContain("\tat ");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli taken = Cli.run("daemon", "--rpc-port", Integer.toString(busy.getLocalPort()), "--port", "0", "--no-dht",
                    "--config-dir", tmp.resolve("config").toString(), "-d", tmp.resolve("downloads").toString());
            assertThat(taken.status()).isEqualTo(2);
            assertThat(taken.err()).contains("cannot listen for RPC");
        }
    }
}
