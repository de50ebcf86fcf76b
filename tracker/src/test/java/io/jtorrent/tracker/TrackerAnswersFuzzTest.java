package io.jtorrent.tracker;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing of every tracker answer and request we parse: HTTP announce and scrape
 * bodies, UDP announce requests (the server's input) and announce and scrape replies (the
 * client's). Each only ever throws {@link TrackerException}. Without {@code JAZZER_FUZZ=1} it
 * replays the kept inputs.
 */
class TrackerAnswersFuzzTest {
    private static final byte[] HASH = new byte[20];

    @FuzzTest(maxDuration = "30s")
    void trackerParsersOnlyEverThrowTrackerException(byte[] input) {
        try {
            HttpAnnounce.parseResponse(input);
        } catch (TrackerException expected) {
            // refused with a reason
        }
        try {
            HttpAnnounce.parseScrape(input, HASH);
        } catch (TrackerException expected) {
            // refused with a reason
        }
        try {
            UdpTrackerProtocol.parseAnnounce(ByteBuffer.wrap(input));
        } catch (TrackerException expected) {
            // refused with a reason
        }
        for (int addressLength : new int[] {4, 16}) {
            try {
                UdpTrackerProtocol.parseAnnounceReply(ByteBuffer.wrap(input), addressLength);
            } catch (TrackerException expected) {
                // refused with a reason
            }
        }
        try {
            UdpTrackerProtocol.parseScrapeReply(ByteBuffer.wrap(input));
        } catch (TrackerException expected) {
            // refused with a reason
        }
    }
}
