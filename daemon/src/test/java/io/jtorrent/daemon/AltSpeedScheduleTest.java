package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtorrent.testkit.ExternalProgram;
import io.jtorrent.testkit.RpcClient;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** Transmission's alt-speed schedule: the window as a table, and the daemon following it, set by transmission-remote. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AltSpeedScheduleTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} {1} in {2}-{3} days {4}: {5}")
    @CsvSource({
        "600, MONDAY, 540, 1020, 127, true",
        "539, MONDAY, 540, 1020, 127, false",
        "1020, MONDAY, 540, 1020, 127, false",
        "600, SUNDAY, 540, 1020, 62, false",     // weekdays only
        "600, SATURDAY, 540, 1020, 65, true",    // weekends only
        "1400, FRIDAY, 1380, 60, 32, true",      // Friday night, across midnight
        "30, SATURDAY, 1380, 60, 32, true",      // ... still Friday's window after midnight
        "30, FRIDAY, 1380, 60, 32, false",       // Thursday's window was not asked for
        "600, MONDAY, 600, 600, 127, false",     // an empty window never holds
    })
    void theWindowHoldsWhereTransmissionsDoes(int minute, DayOfWeek day, int begin, int end, int days, boolean active) {
        assertThat(AltSpeedSchedule.active(minute, day, begin, end, days)).isEqualTo(active);
    }

    private static boolean altSpeed(RpcClient rpc) {
        try {
            JsonNode s = rpc.call("session-get", Map.of()).get("arguments");
            return s.get("alt-speed-enabled").asBoolean();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theDaemonTurnsAltSpeedsOnAndOffByTheSchedule() throws Exception {
        Path remote = ExternalProgram.require("transmission-remote", "transmission-cli");
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            String at = "127.0.0.1:" + d.rpcPort();
            LocalTime now = LocalTime.now();
            ExternalProgram.run(Duration.ofSeconds(30), tmp, remote.toString(), at, "--alt-speed-scheduler",
                    "--alt-speed-time-begin", hhmm(now.minusMinutes(30)), "--alt-speed-time-end", hhmm(now.plusMinutes(30)),
                    "--alt-speed-days", "1-7").assertSuccess();
            JsonNode s = rpc.call("session-get", Map.of()).get("arguments");
            assertThat(s.get("alt-speed-time-enabled").asBoolean()).isTrue();
            assertThat(s.get("alt-speed-time-day").asInt()).isEqualTo(127);
            TestData.await(Duration.ofSeconds(10), "alt speeds on inside the window", () -> altSpeed(rpc));
            ExternalProgram.run(Duration.ofSeconds(30), tmp, remote.toString(), at,
                    "--alt-speed-time-begin", hhmm(now.plusMinutes(60)), "--alt-speed-time-end", hhmm(now.plusMinutes(90)))
                    .assertSuccess();
            TestData.await(Duration.ofSeconds(10), "alt speeds off outside the window", () -> !altSpeed(rpc));
            assertThat(rpc.call("session-set", Map.of("alt-speed-time-begin", 1440)).get("result").asText())
                    .contains("alt-speed-time-begin");
        }
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            JsonNode s = new RpcClient(d.rpcPort(), null).call("session-get", Map.of()).get("arguments");
            assertThat(s.get("alt-speed-time-enabled").asBoolean()).as("kept across a restart").isTrue();
        }
    }

    private static String hhmm(LocalTime t) {
        return String.format("%02d%02d", t.getHour(), t.getMinute());
    }
}
