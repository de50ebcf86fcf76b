package io.jtorrent.engine.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.wire.PeerMessage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BEP 16 as a table: a seed of 4 pieces (the test host's) and peers that join, download and pass pieces on. */
class SuperSeedingTest {
    private final PeerConnectionTest.Host host = new PeerConnectionTest.Host("1111");
    private final SuperSeeding seeding = new SuperSeeding(4);
    private final Set<PeerConnection> peers = new LinkedHashSet<>();

    private PeerConnectionTest.Transport join() {
        PeerConnectionTest.Transport t = new PeerConnectionTest.Transport();
        PeerConnection p = new PeerConnection(host, t, PeerConnectionTest.handshake(true), false, 0);
        peers.add(p);
        seeding.greet(p, 0);
        return t;
    }

    private static List<String> said(PeerConnectionTest.Transport t) {
        List<String> out = new ArrayList<>();
        for (PeerMessage m : t.sent) {
            out.add(m instanceof PeerMessage.Have h ? "have " + h.piece() : m.getClass().getSimpleName());
        }
        t.sent.clear();
        return out;
    }

    private PeerConnection peer(int i) {
        return new ArrayList<>(peers).get(i);
    }

    @Test
    void aPeerHearsOfNothingButItsOffersTheLeastSpreadFirst() {
        PeerConnectionTest.Transport a = join();
        assertThat(said(a)).containsExactly("HaveNone", "have 0", "have 1", "have 2", "have 3"); // 4 pieces, fewer than the offers
        PeerConnectionTest.Transport b = join();
        assertThat(said(b)).containsExactly("HaveNone", "have 0", "have 1", "have 2", "have 3");
    }

    @Test
    void onlyOfferedPiecesAreServed() {
        PeerConnectionTest.Transport a = join();
        said(a);
        PeerConnection p = peer(0);
        p.superOffers.clear(2); // as if piece 2 had been passed on: no longer served
        p.setChoking(false);
        a.sent.clear();
        p.handle(new PeerMessage.Request(1, 0, 16384));
        p.handle(new PeerMessage.Request(2, 0, 16384));
        assertThat(a.take()).containsExactly("piece 1/0", "reject 2/0");
    }

    @Test
    void aPieceAnnouncedByAnotherPeerIsReplacedWithANewOffer() {
        // a seed of 4 pieces and 8 offers a peer: every peer is offered all it lacks, so take some back
        PeerConnectionTest.Transport a = join();
        said(a);
        PeerConnection first = peer(0);
        first.superOffers.clear(3); // offered 0, 1, 2 only
        first.superOffered.clear(3);
        PeerConnectionTest.Transport b = join();
        said(b);
        PeerConnection second = peer(1);
        // the second announces piece 1 (the first never does: to it we have it): the first passed it on
        second.has.set(1);
        seeding.announced(second, 1, peers, 0);
        assertThat(first.superOffers.get(1)).isFalse();
        assertThat(said(a)).containsExactly("have 3"); // the one piece never offered to it (never 1 again: it may have it)
        assertThat(second.superOffers.get(1)).as("its own announcement changes nothing for the announcer").isTrue();
    }

    @Test
    void aPeerWhoseOffersDoNotSpreadGetsANewOneAfterAWhile() {
        PeerConnectionTest.Transport a = join();
        said(a);
        PeerConnection p = peer(0);
        p.superOffers.clear();
        p.superOffers.set(0); // one offer, 0, that nobody else announces (as if only it had been offered)
        p.superOffered.clear();
        p.superOffered.set(0);
        seeding.tick(peers, 1_000_000_000L);
        assertThat(said(a)).as("not yet").isEmpty();
        seeding.tick(peers, (SuperSeeding.PATIENCE_SECONDS + 1) * 1_000_000_000L);
        assertThat(said(a)).containsExactly("have 1", "have 2", "have 3"); // not 0 again
        assertThat(p.superOffers.get(0)).isFalse();
    }
}
