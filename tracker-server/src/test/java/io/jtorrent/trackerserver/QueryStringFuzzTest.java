package io.jtorrent.trackerserver;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of an announce's query string: it only ever throws
 * {@link QueryString.BadRequest}. Without {@code JAZZER_FUZZ=1} it replays the kept inputs.
 */
class QueryStringFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void queryStringOnlyEverThrowsBadRequest(byte[] input) {
        try {
            QueryString.parse(new String(input, StandardCharsets.ISO_8859_1));
        } catch (QueryString.BadRequest expected) {
            // refused with a reason
        }
    }
}
