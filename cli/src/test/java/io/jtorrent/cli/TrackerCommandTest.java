package io.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `tracker` refuses bad options with one line and status 2 (it runs until interrupted otherwise). */
class TrackerCommandTest {
    @TempDir
    Path tmp;

    @Test
    void badOptionsAreStatus2() throws Exception {
        assertThat(Cli.run("tracker", "--store", "mongodb://x").err()).contains("--store");
        assertThat(Cli.run("tracker", "--store", "mongodb://x").status()).isEqualTo(2);
        Path list = Files.writeString(tmp.resolve("w.txt"), "not-a-hash\n");
        Cli bad = Cli.run("tracker", "--whitelist", list.toString(), "--http-port", "0", "--udp-port", "0");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("not a 40-digit hex info-hash");
        assertThat(Cli.run("tracker", "--interval", "0").status()).isEqualTo(2);
        Cli noThreads = Cli.run("tracker", "--http-threads", "0");
        assertThat(noThreads.status()).isEqualTo(2);
        assertThat(noThreads.err()).contains("--http-threads");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli inUse = Cli.run("tracker", "--bind", "127.0.0.1", "--http-port", Integer.toString(busy.getLocalPort()),
                    "--udp-port", "-1");
            assertThat(inUse.status()).isEqualTo(2);
            assertThat(inUse.err()).contains("cannot listen");
        }
    }
}
