package io.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aSmallDemoEndsWithTheSummaryLine() throws Exception {
        Cli r = Cli.run("demo", "--peers", "3", "--size", "2M", "--seed-rate", "1M", "--peer-rate", "1M",
                "--dir", tmp.toString());
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        String last = r.out().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last).matches("swarm complete: peers=3 seconds=[0-9.]+ bound=2\\.0 ratio=[0-9.]+ client_server=6\\.0");
        assertThat(r.out()).contains("3 of 3 leechers complete, data verified: yes", "the seed uploaded:");
        assertThat(Files.mismatch(tmp.resolve("seed/swarm.bin"), tmp.resolve("leecher3/swarm.bin"))).isEqualTo(-1L);
    }

    @Test
    void badOptionsAreStatus2() {
        assertThat(Cli.run("demo", "--peers", "0").status()).isEqualTo(2);
        assertThat(Cli.run("demo", "--scenario", "nope").status()).isEqualTo(2);
        assertThat(Cli.run("demo", "--size", "lots").status()).isEqualTo(2);
    }
}
