package io.jtorrent.bencode;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the decoder (Jazzer). Without {@code JAZZER_FUZZ=1} this replays the
 * inputs kept under {@code src/test/resources/.../BencodeDecoderFuzzTestInputs} as a regression
 * test; with it, it fuzzes (see README: Fuzzing).
 */
class BencodeDecoderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decoderOnlyEverThrowsBencodeException(byte[] input) {
        BencodeDecoder lenient = new BencodeDecoder(BencodeDecoder.Limits.DEFAULT.withLenientKeyOrder(true));
        try {
            BValue v = BencodeDecoder.strict().decode(input);
            assertThat(BencodeEncoder.encode(v)).isEqualTo(input);
            assertThat(lenient.decode(input)).isEqualTo(v);
        } catch (BencodeException e) {
            assertThat(e.offset()).isBetween(0L, (long) input.length);
            try {
                lenient.decode(input);
            } catch (BencodeException alsoFine) {
                assertThat(alsoFine.offset()).isBetween(0L, (long) input.length);
            }
        }
    }
}
