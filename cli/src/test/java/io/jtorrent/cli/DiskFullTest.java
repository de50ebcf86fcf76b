package io.jtorrent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.testkit.ExternalProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk (ENOSPC) stops only its torrent with a clear error and loses no verified data: the
 * CLI exits non-zero and a rerun resumes; a session's torrent resumes once space is free. The disk
 * is a 10 MiB tmpfs in a mount namespace the test makes ({@code unshare -rm}), see {@link DiskFullProbe}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DiskFullTest {
    @TempDir
    Path tmp;

    @Test
    void aFullDiskStopsTheDownloadWhichResumesOnceSpaceIsFree() throws Exception {
        Path small = Files.createDirectories(tmp.resolve("small"));
        String java = ProcessHandle.current().info().command().orElse("java");
        String script = "mount -t tmpfs -o size=10m tmpfs \"" + small + "\" && exec \"" + java + "\" -cp \""
                + System.getProperty("java.class.path") + "\" " + DiskFullProbe.class.getName() + " \"" + tmp + "\" \"" + small + "\"";
        ExternalProgram.Result r = ExternalProgram.run(Duration.ofSeconds(150), tmp,
                ExternalProgram.require("unshare", "util-linux").toString(), "-rm", "sh", "-c", script);
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("stopped with:", "No space left on device", "disk-full ok");
    }
}
