package io.jtorrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.testkit.ExternalProgram;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local Service Discovery (BEP 14) between two sessions in a network namespace the test makes
 * (unshare -rn: its own loopback, multicast routed there): nothing is sent on the machine's network.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LsdTest {
    @TempDir
    Path tmp;

    @Test
    void twoSessionsFindEachOtherOnTheLocalNetwork() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String script = "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo && exec \""
                + java + "\" -cp \"" + System.getProperty("java.class.path") + "\" " + LsdProbe.class.getName() + " \"" + tmp + "\"";
        ExternalProgram.Result r = ExternalProgram.run(Duration.ofSeconds(90), tmp,
                ExternalProgram.require("unshare", "util-linux").toString(), "-rn", "sh", "-c", script);
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("lsd ok");
    }
}
