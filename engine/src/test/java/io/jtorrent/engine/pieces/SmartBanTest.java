package io.jtorrent.engine.pieces;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Blame only with evidence: the sender of a block that differs from the verified copy, nobody else. */
class SmartBanTest {
    @Test
    void theSenderOfTheDifferingBlockIsTheOnlyCulprit() {
        SmartBan<String> s = new SmartBan<>();
        // blocks 0..3 from honest, liar, honest, other; the liar's block 1 was bad
        s.pieceFailed(7, new int[] {10, 99, 30, 40}, Arrays.asList("honest", "liar", "honest", "other"));
        assertThat(s.pieceVerified(7, new int[] {10, 20, 30, 40})).containsExactly("liar");
        assertThat(s.piecesRemembered()).isZero();
        assertThat(s.pieceVerified(7, new int[] {10, 20, 30, 40})).as("forgotten once verified").isEmpty();
    }

    @Test
    void severalFailedCopiesAreKeptAndABoundedNumber() {
        SmartBan<String> s = new SmartBan<>();
        s.pieceFailed(1, new int[] {1, 2}, Arrays.asList("a", "b"));
        s.pieceFailed(1, new int[] {5, 2}, Arrays.asList("c", "b"));
        assertThat(s.pieceVerified(1, new int[] {1, 2})).containsExactly("c");
        for (int i = 0; i < SmartBan.COPIES_KEPT + 2; i++) {
            s.pieceFailed(2, new int[] {i == 0 ? 9 : 1}, Arrays.asList("p" + i));
        }
        assertThat(s.pieceVerified(2, new int[] {1})).as("the oldest copy (p0's bad one) was forgotten").isEmpty();
    }

    @Test
    void aPieceThatNeverFailedBlamesNobodyAndUnknownSendersAreSkipped() {
        SmartBan<String> s = new SmartBan<>();
        assertThat(s.pieceVerified(3, new int[] {1})).isEmpty();
        s.pieceFailed(4, new int[] {8, 8}, Arrays.asList(null, "x"));
        assertThat(s.pieceVerified(4, new int[] {1, 1})).containsExactly("x");
    }
}
