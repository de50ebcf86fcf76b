package io.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aSmallSimulationPrintsTheSameEveryTimeAndWritesItsCsv() throws Exception {
        Path csv = tmp.resolve("peers.csv");
        String[] args = {"simulate", "--peers", "12", "--size", "2M", "--peer-rates", "512K:50%,2M:50%", "--seed-rate", "1M",
            "--random-seed", "9", "--csv", csv.toString()};
        Cli a = Cli.run(args);
        Cli b = Cli.run(args);
        assertThat(a.status()).as(a.out() + a.err()).isZero();
        assertThat(b.out()).isEqualTo(a.out());
        String last = a.out().lines().reduce((x, y) -> y).orElseThrow();
        assertThat(last).startsWith("simulation complete: peers=12 seconds=").contains(" verified=true",
                " class_512K_mean=", " class_2M_own=");
        assertThat(a.out()).contains("12 of 12 leechers complete, data verified: yes", "phases, s", "upload classes:");
        assertThat(a.err()).contains("events");
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows).hasSize(1 + 13); // the header, the seed, 12 leechers
        assertThat(rows.get(0)).startsWith("peer,role,class,behaviour,arrived,first_piece,end_game,done");
    }

    @Test
    void badOptionsAreStatus2() {
        assertThat(Cli.run("simulate", "--peers", "0").status()).isEqualTo(2);
        assertThat(Cli.run("simulate", "--scenario", "nope").status()).isEqualTo(2);
        assertThat(Cli.run("simulate", "--peer-rates", "1M:50%,2M:40%").status()).isEqualTo(2); // shares must add up
        assertThat(Cli.run("simulate", "--peer-rates", "1M").status()).isEqualTo(2);
        assertThat(Cli.run("simulate", "--piece-size", "100K").status()).isEqualTo(2);
        assertThat(Cli.run("simulate", "--peer-rate", "1M", "--peer-rates", "1M:100%").status()).isEqualTo(2);
        Cli riders = Cli.run("simulate", "--scenario", "free-riders", "--free-riders", "1.5");
        assertThat(riders.status()).isEqualTo(2);
        assertThat(riders.err()).contains("free-rider fraction");
    }
}
