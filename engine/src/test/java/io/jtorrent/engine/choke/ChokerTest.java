package io.jtorrent.engine.choke;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChokerTest {
    private static Choker.PeerView peer(String name, boolean interested, boolean snubbed, long down, long up, int rounds) {
        return new Choker.PeerView(name, interested, snubbed, down, up, 0, false, rounds);
    }

    @Test
    void downloadingRewardsTheFastestUploadersToUsAndSkipsSnubbers() {
        List<Choker.PeerView> peers = List.of(
                peer("slow", true, false, 10, 0, 0), peer("fast", true, false, 1000, 0, 0),
                peer("snub", true, true, 5000, 0, 0), peer("mid", true, false, 500, 0, 0),
                peer("uninterested", false, false, 9000, 0, 0));
        Set<Object> u = new Choker(new Random(1)).regular(peers, 2, false);
        assertThat(u).containsExactly("fast", "mid");
    }

    @Test
    void seedingRotatesSlotsSoEveryPeerIsServed() {
        List<Choker.PeerView> peers = List.of(
                peer("a", true, false, 0, 900, 2), peer("b", true, false, 0, 800, 2),
                peer("c", true, false, 0, 10, 0), peer("d", true, false, 0, 5, 0));
        Set<Object> u = new Choker(new Random(2)).regular(peers, 2, true);
        assertThat(u).containsExactlyInAnyOrder("c", "d");
    }

    @Test
    void optimisticFavoursNewPeersThreeToOne() {
        long now = Choker.NEW_PEER_NANOS * 10;
        List<Choker.PeerView> peers = new ArrayList<>();
        peers.add(new Choker.PeerView("new", true, false, 0, 0, now - 1, false, 0));
        peers.add(new Choker.PeerView("old", true, false, 0, 0, 0, false, 0));
        peers.add(new Choker.PeerView("regular", true, false, 0, 0, 0, true, 0));
        Choker c = new Choker(new Random(3));
        Map<Object, Integer> counts = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            counts.merge(c.optimistic(peers, Set.of("regular"), now), 1, Integer::sum);
        }
        assertThat(counts).doesNotContainKey("regular");
        double ratio = (double) counts.get("new") / counts.get("old");
        assertThat(ratio).isBetween(2.5, 3.5);
        assertThat(c.optimistic(List.of(peer("x", false, false, 0, 0, 0)), Set.of(), now)).isNull();
    }
}
