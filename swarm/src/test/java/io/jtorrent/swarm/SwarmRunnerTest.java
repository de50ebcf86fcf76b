package io.jtorrent.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A small version (N = 4, 4 MiB) of every scenario: everyone who stays completes, with the right bytes. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SwarmRunnerTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(SwarmRunner.Scenario.class)
    void smallSwarmCompletes(SwarmRunner.Scenario scenario) throws Exception {
        SwarmRunner.Config c = new SwarmRunner.Config(4, 4 << 20, 2 << 20, 2 << 20, 32 * 1024, scenario, tmp, 42);
        SwarmRunner.Result r = SwarmRunner.run(c, s -> { });
        assertThat(r.allComplete()).as(r.toString()).isTrue();
        assertThat(r.completed()).isGreaterThanOrEqualTo(4);
        assertThat(r.seconds()).isGreaterThan(0);
        assertThat(r.aggregateCopySeconds()).isBetween(0.0, r.seconds());
        assertThat(r.summaryLine()).matches("swarm complete: peers=4 seconds=[0-9.]+ bound=2\\.0 ratio=[0-9.]+ client_server=8\\.0");
        if (scenario == SwarmRunner.Scenario.CORRUPT_PEER) {
            assertThat(r.hashFailures()).isPositive();
            assertThat(r.wastedBytes()).isPositive();
        }
        if (scenario == SwarmRunner.Scenario.BASIC) {
            assertThat(r.seedCopies()).isLessThan(4);
        }
    }
}
