package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;

/**
 * Coverage-guided fuzzing of the blocklist reader (a list comes from a URL): it only ever refuses
 * with an IOException, and a list it reads answers lookups. Without {@code JAZZER_FUZZ=1} it
 * replays the kept inputs.
 */
class BlocklistFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void blocklistReaderOnlyEverThrowsIoException(byte @NotNull [] input) throws Exception {
        try {
            Blocklist b = Blocklist.read(new ByteArrayInputStream(input), 1 << 20);
            assertThat(b.size()).isNotNegative();
            b.contains(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}));
            b.contains(InetAddress.getByAddress(new byte[16]));
        } catch (IOException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
