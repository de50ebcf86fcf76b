package io.jtorrent.trackerserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the tracker's HTTP reader and its announce parser, with the bytes cut
 * into writes at fuzzed places: the reader only ever yields requests, at most one bad one and then
 * nothing more; every target is visible ASCII within the limit; the announce parser only ever
 * throws {@link QueryString.BadRequest}. Without {@code JAZZER_FUZZ=1} it replays the kept inputs.
 */
class HttpRequestDecoderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void theReaderYieldsRequestsOrOneRefusalAndTheParserOnlyRefuses(FuzzedDataProvider data) {
        List<byte[]> chunks = new ArrayList<>();
        while (data.remainingBytes() > 0) {
            chunks.add(data.consumeBytes(1 + data.consumeInt(0, 2 * HttpRequestDecoder.MAX_REQUEST_LINE)));
        }
        List<HttpRequestDecoder.Request> out = HttpRequestDecoderTest.decode(chunks.toArray(new byte[0][]));
        for (int i = 0; i < out.size(); i++) {
            HttpRequestDecoder.Request r = out.get(i);
            if (!r.ok()) {
                assertThat(i).as("nothing is read after a refusal").isEqualTo(out.size() - 1);
                assertThat(r.status()).isBetween(400, 599);
                continue;
            }
            assertThat(r.target().length()).isLessThanOrEqualTo(HttpRequestDecoder.MAX_REQUEST_LINE);
            assertThat(r.target().chars().allMatch(c -> c > 0x20 && c < 0x7f)).isTrue();
            int q = r.target().indexOf('?');
            try {
                AnnounceQuery.parse(r.target(), q + 1);
            } catch (QueryString.BadRequest expected) {
                // refused with a reason
            }
        }
    }
}
