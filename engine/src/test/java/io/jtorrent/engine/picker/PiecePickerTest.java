package io.jtorrent.engine.picker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Table tests for the picker, with piece sets written as strings: {@code "1101"} means pieces 0, 1
 * and 3 (libtorrent's test_piece_picker.cpp does the same).
 */
class PiecePickerTest {
    private static final int BLOCK = PiecePicker.BLOCK;

    static BitSet bits(String s) {
        return io.jtorrent.testkit.Bits.of(s);
    }

    /** A picker of {@code pieces} pieces of 4 blocks each (the last one too). */
    static PiecePicker<String> picker(int pieces, long seed) {
        return new PiecePicker<>(pieces, 4L * BLOCK, 4L * BLOCK * pieces, new Random(seed));
    }

    private static Set<Integer> pieces(List<PiecePicker.Block> blocks) {
        Set<Integer> s = new HashSet<>();
        blocks.forEach(b -> s.add(b.piece()));
        return s;
    }

    @Test
    void rarestFirstOnceWeHaveAFewPieces() {
        PiecePicker<String> p = picker(8, 1);
        p.setHave(bits("11110000"));
        p.peerHasAll(bits("00001111"));
        p.peerHasAll(bits("00001101"));
        p.peerHasAll(bits("00001001"));
        // availability: 4:3 5:2 6:1 7:3 -> piece 6 is rarest
        List<PiecePicker.Block> first = p.pick(bits("00001111"), 4, "peer");
        assertThat(pieces(first)).containsExactly(6);
        List<PiecePicker.Block> second = p.pick(bits("00001111"), 4, "peer");
        assertThat(pieces(second)).containsExactly(5);
    }

    @Test
    void randomWhileWeHaveFewerThanFourPieces() {
        Set<Integer> chosen = new HashSet<>();
        for (int seed = 0; seed < 50; seed++) {
            PiecePicker<String> p = picker(8, seed);
            p.peerHasAll(bits("10000000")); // piece 0 the rarest... but we have nothing yet
            p.peerHasAll(bits("11111111"));
            p.peerHasAll(bits("01111111"));
            chosen.addAll(pieces(p.pick(bits("11111111"), 1, "peer")));
        }
        assertThat(chosen.size()).as("pieces started by 50 fresh pickers").isGreaterThan(3);
    }

    @Test
    void partialPiecesAreFinishedBeforeNewOnesAreStarted() {
        PiecePicker<String> p = picker(4, 2);
        p.setHave(bits("0000"));
        p.peerHasAll(bits("1111"));
        List<PiecePicker.Block> a = p.pick(bits("1111"), 2, "a");
        int started = a.get(0).piece();
        List<PiecePicker.Block> b = p.pick(bits("1111"), 2, "b");
        assertThat(pieces(b)).containsExactly(started);
        assertThat(b).doesNotContainAnyElementsOf(a);
    }

    @Test
    void priorityZeroIsNeverPickedAndHigherGoesFirst() {
        PiecePicker<String> p = picker(4, 3);
        p.setHave(bits("0000"));
        p.setPriorities(new byte[] {0, 1, 2, 0});
        List<PiecePicker.Block> blocks = p.pick(bits("1111"), 8, "a");
        assertThat(blocks.subList(0, 4)).allMatch(b -> b.piece() == 2);
        assertThat(pieces(blocks)).containsExactlyInAnyOrder(1, 2);
        assertThat(p.interesting(bits("1001"))).isFalse();
        assertThat(p.bytesLeft()).isEqualTo(8L * BLOCK);
    }

    @Test
    void sequentialModeTakesTheLowestMissingPiece() {
        PiecePicker<String> p = picker(6, 4);
        p.setHave(bits("110000"));
        p.setSequential(true);
        p.peerHasAll(bits("111111"));
        p.peerHasAll(bits("111110"));
        assertThat(pieces(p.pick(bits("111111"), 4, "a"))).containsExactly(2);
        assertThat(pieces(p.pick(bits("111111"), 4, "a"))).containsExactly(3);
    }

    @Test
    void endGameRequestsBlocksFromASecondPeerAndTheFirstCopyWins() {
        PiecePicker<String> p = picker(1, 5);
        List<PiecePicker.Block> a = p.pick(bits("1"), 10, "a");
        assertThat(a).hasSize(4);
        assertThat(p.allRequested()).isTrue();
        List<PiecePicker.Block> b = p.pick(bits("1"), 10, "b");
        assertThat(b).containsExactlyElementsOf(a);
        List<String> cancel = new ArrayList<>();
        assertThat(p.received(a.get(0), "b", cancel)).isEqualTo(PiecePicker.Received.ACCEPTED);
        assertThat(cancel).containsExactly("a");
        cancel.clear();
        assertThat(p.received(a.get(0), "a", cancel)).isEqualTo(PiecePicker.Received.UNWANTED);
        p.received(a.get(1), "a", cancel);
        p.received(a.get(2), "a", cancel);
        assertThat(p.received(a.get(3), "a", cancel)).isEqualTo(PiecePicker.Received.PIECE_COMPLETE);
    }

    @Test
    void aFailedPieceIsWantedAgainAndNamesItsContributors() {
        PiecePicker<String> p = picker(2, 6);
        p.setHave(bits("10"));
        List<PiecePicker.Block> blocks = p.pick(bits("11"), 4, "a");
        List<String> ignore = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            p.received(blocks.get(i), "a", ignore);
        }
        p.received(blocks.get(3), "b", ignore);
        assertThat(p.pieceFailed(1)).containsExactlyInAnyOrder("a", "b");
        assertThat(p.pick(bits("11"), 4, "c")).hasSize(4);
        p.pieceVerified(1);
        assertThat(p.complete()).isTrue();
    }

    @Test
    void blocksOfAPeerThatLeftOrChokedAreRequestedElsewhere() {
        PiecePicker<String> p = picker(1, 7);
        List<PiecePicker.Block> a = p.pick(bits("1"), 2, "a");
        p.unrequest(a.get(0), "a");
        assertThat(p.pick(bits("1"), 4, "b")).contains(a.get(0)).doesNotContain(a.get(1));
        p.peerLeft("a");
        assertThat(p.pick(bits("1"), 4, "c")).containsExactly(a.get(1));
    }

    @Test
    void theLastPieceMayBeShort() {
        PiecePicker<String> p = new PiecePicker<>(2, 4L * BLOCK, 4L * BLOCK + 100, new Random(8));
        assertThat(p.blocksIn(1)).isEqualTo(1);
        assertThat(p.blockLength(new PiecePicker.Block(1, 0))).isEqualTo(100);
        assertThat(p.blockLength(new PiecePicker.Block(0, 3))).isEqualTo(BLOCK);
    }

    @Test
    void aPeersSuggestionsAreStartedFirstInTheOrderGivenAtTheHighestPriorityWanted() {
        PiecePicker<String> p = picker(8, 1);
        p.setHave(bits("11110000"));
        p.peerHasAll(bits("00001111"));
        p.peerHasAll(bits("00000010")); // 4, 6 and 7 rarer than 5
        assertThat(pieces(p.pick(bits("00001111"), 4, "seed", List.of(5, 7)))).containsExactly(5);
        assertThat(pieces(p.pick(bits("00001111"), 4, "seed", List.of(5, 7)))).containsExactly(7);
        p.setPriorities(new byte[] {1, 1, 1, 1, 2, 1, 1, 1});
        assertThat(pieces(p.pick(bits("00001111"), 4, "seed", List.of(6))))
                .as("a suggestion below the best priority waits").containsExactly(4);
        PiecePicker<String> sequential = picker(8, 1);
        sequential.setHave(bits("11110000"));
        sequential.setSequential(true);
        assertThat(pieces(sequential.pick(bits("00001111"), 4, "seed", List.of(6)))).as("sequential: in order").containsExactly(4);
    }

    @Test
    void aStartedPieceOthersHaveWaitsWhileTheSuggesterHasOneToStart() {
        for (boolean suggesting : new boolean[] {false, true}) {
            PiecePicker<String> p = picker(8, 1);
            p.setHave(bits("11110000"));
            p.peerHasAll(bits("00001111")); // the seed
            p.peerHasAll(bits("00001111")); // a leecher: every piece equally rare
            int started = p.pick(bits("00001111"), 2, "leecher").get(0).piece(); // half of it asked of the leecher
            int other = started == 4 ? 5 : 4;
            List<PiecePicker.Block> fromSeed = p.pick(bits("00001111"), 2, "seed", suggesting ? List.of(other) : null);
            assertThat(pieces(fromSeed)).as(suggesting ? "the suggestion first" : "the started piece first")
                    .containsExactly(suggesting ? other : started);
        }
    }
}
