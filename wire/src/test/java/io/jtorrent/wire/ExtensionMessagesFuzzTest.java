package io.jtorrent.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the extension message parsers a peer's bytes reach (extended
 * handshake, ut_metadata, ut_pex): they only ever throw {@link PeerProtocolException}. Without
 * {@code JAZZER_FUZZ=1} it replays the kept inputs.
 */
class ExtensionMessagesFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void extensionParsersOnlyEverThrowPeerProtocolException(byte[] input) {
        try {
            ExtendedHandshake.decode(input).encode();
        } catch (PeerProtocolException expected) {
            // refused with a reason
        }
        try {
            MetadataMessage.decode(input).encode();
        } catch (PeerProtocolException expected) {
            // refused with a reason
        }
        try {
            PexMessage.decode(input).encode();
        } catch (PeerProtocolException expected) {
            // refused with a reason
        }
    }
}
