package io.jtorrent.engine.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.wire.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A seed's suggestions as a table: the test host's 4 pieces, 2 suggestions a peer, no availability known. */
class SeedHintsTest {
    private final PeerConnectionTest.Host host = new PeerConnectionTest.Host("1111");
    private final SeedHints hints = new SeedHints(4, 2, piece -> 0);

    private PeerConnection join(PeerConnectionTest.Transport t) {
        PeerConnection p = new PeerConnection(host, t, PeerConnectionTest.handshake(true), false, 0);
        hints.attach(p);
        return p;
    }

    /** A peer that joins and is unchoked: suggestions, then the unchoke, as {@link UploadSlots} does it. */
    private PeerConnection unchoked(PeerConnectionTest.Transport t) {
        PeerConnection p = join(t);
        hints.unchoked(p);
        p.setChoking(false);
        return p;
    }

    private static List<String> said(PeerConnectionTest.Transport t) {
        List<String> out = new ArrayList<>();
        for (PeerMessage m : t.sent) {
            if (m instanceof PeerMessage.SuggestPiece s) {
                out.add("suggest " + s.piece());
            } else if (m instanceof PeerMessage.Piece piece) {
                out.add("piece " + piece.piece());
                piece.release();
            } else if (m instanceof PeerMessage.RejectRequest r) {
                out.add("reject " + r.piece());
            } else {
                out.add(m.getClass().getSimpleName());
            }
        }
        t.sent.clear();
        return out;
    }

    @Test
    void peersUnchokedTogetherAreSuggestedDifferentPiecesBeforeTheUnchoke() {
        PeerConnectionTest.Transport a = new PeerConnectionTest.Transport();
        PeerConnectionTest.Transport b = new PeerConnectionTest.Transport();
        unchoked(a);
        unchoked(b);
        assertThat(said(a)).containsExactly("suggest 0", "suggest 1", "Unchoke");
        assertThat(said(b)).containsExactly("suggest 2", "suggest 3", "Unchoke");
    }

    @Test
    void aRequestedSuggestionIsReplacedAndOnceAllWentOutTheLeastSpreadComesNext() {
        PeerConnectionTest.Transport a = new PeerConnectionTest.Transport();
        PeerConnectionTest.Transport b = new PeerConnectionTest.Transport();
        PeerConnection pa = unchoked(a);
        unchoked(b);
        said(a);
        pa.handle(new PeerMessage.Request(0, 0, 16384));
        // every piece went out once (0 asked for, 1 suggested to a, 2 and 3 to b): the first of those a lacks
        assertThat(said(a)).containsExactly("suggest 2", "piece 0");
        pa.handle(new PeerMessage.Request(0, 16384, 16384));
        assertThat(said(a)).as("a piece counts once per peer").containsExactly("piece 0");
    }

    @Test
    void aChokedPeersSuggestionsAreTakenBack() {
        PeerConnectionTest.Transport a = new PeerConnectionTest.Transport();
        PeerConnectionTest.Transport c = new PeerConnectionTest.Transport();
        PeerConnection pa = unchoked(a);
        hints.released(pa);
        pa.setChoking(true);
        unchoked(c);
        assertThat(said(c)).containsExactly("suggest 2", "suggest 3", "Unchoke"); // the cursor moves on
        PeerConnectionTest.Transport d = new PeerConnectionTest.Transport();
        unchoked(d);
        assertThat(said(d)).as("0 and 1 were given back").containsExactly("suggest 0", "suggest 1", "Unchoke");
    }

    @Test
    void aPieceThePeerGotElsewhereIsReplacedAndNoLongerCounts() {
        PeerConnectionTest.Transport a = new PeerConnectionTest.Transport();
        PeerConnection pa = unchoked(a);
        said(a);
        pa.handle(new PeerMessage.Have(0));
        hints.announced(pa, 0);
        assertThat(said(a)).containsExactly("suggest 2");
        PeerConnectionTest.Transport b = new PeerConnectionTest.Transport();
        unchoked(b);
        assertThat(said(b)).as("0 went to nobody from us").containsExactly("suggest 3", "suggest 0", "Unchoke");
    }

    @Test
    void onceAllWentOutASuggestionWeighsABoundedWindowOfPiecesNotEveryOne() {
        int pieces = 4_992; // 312 peers of 16 suggestions give out each piece once
        int[] looked = {0};
        // availability: pieces that are multiples of 7 are the rarest around us
        SeedHints big = new SeedHints(pieces, 16, piece -> {
            looked[0]++;
            return piece % 7 == 0 ? 0 : 3;
        });
        for (int given = 0; given < pieces; given += 16) {
            PeerConnection p = new PeerConnection(host, new PeerConnectionTest.Transport(), PeerConnectionTest.handshake(true), false, 0);
            big.attach(p);
            big.unchoked(p);
        }
        assertThat(looked[0]).as("never-given pieces come from the cursor, unweighed").isZero();
        PeerConnectionTest.Transport t = new PeerConnectionTest.Transport();
        PeerConnection late = new PeerConnection(host, t, PeerConnectionTest.handshake(true), false, 0);
        big.attach(late);
        big.unchoked(late);
        List<String> suggested = said(t);
        assertThat(suggested).hasSize(16).allSatisfy(m -> assertThat(Integer.parseInt(m.substring("suggest ".length())) % 7)
                .as("the least spread in its window: %s", m).isZero());
        assertThat(looked[0]).as("pieces weighed for 16 suggestions").isLessThanOrEqualTo(16 * SeedHints.SCAN);
    }
}
