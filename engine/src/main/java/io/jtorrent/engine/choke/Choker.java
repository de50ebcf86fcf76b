package io.jtorrent.engine.choke;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The tit-for-tat choker (BEP 3's "choking algorithm"). Pure logic: the torrent calls it every
 * {@value #INTERVAL_SECONDS} seconds with a view of its peers and applies the answer.
 *
 * <ul>
 *   <li>Downloading: the regular slots go to the interested peers that upload to us fastest,
 *       leaving out snubbed ones (anti-snubbing).</li>
 *   <li>Seeding: the slots go to the interested peers we upload to fastest, and the slot holders
 *       rotate: a peer that held a slot for a full round yields it to one that waited, so every
 *       peer gets served.</li>
 *   <li>One more slot is optimistic: rotated every {@value #OPTIMISTIC_SECONDS} seconds to a random
 *       choked interested peer, a newly connected one three times as likely.</li>
 * </ul>
 */
public final class Choker {
    public static final int INTERVAL_SECONDS = 10;
    public static final int OPTIMISTIC_SECONDS = 30;
    public static final long NEW_PEER_NANOS = 60_000_000_000L;

    /** What the choker needs to know of a peer. */
    public record PeerView(Object peer, boolean interested, boolean snubbed, long downloadRate, long uploadRate,
                    long connectedAtNanos, boolean unchoked, int roundsUnchoked) {}

    private final Random random;

    public Choker(Random random) {
        this.random = random;
    }

    /** The peers to unchoke in regular slots. */
    public Set<Object> regular(List<PeerView> peers, int slots, boolean seeding) {
        List<PeerView> candidates = new ArrayList<>();
        for (PeerView p : peers) {
            if (p.interested() && !(p.snubbed() && !seeding)) {
                candidates.add(p);
            }
        }
        Comparator<PeerView> order = seeding
                // rotate: peers that have waited first, then by how fast we serve them
                ? Comparator.comparingInt((PeerView p) -> p.roundsUnchoked() >= 2 ? 1 : 0)
                        .thenComparing(Comparator.comparingLong(PeerView::uploadRate).reversed())
                : Comparator.comparingLong(PeerView::downloadRate).reversed();
        java.util.Collections.shuffle(candidates, random); // equal rates: no fixed favourite
        candidates.sort(order);
        Set<Object> chosen = new LinkedHashSet<>();
        for (PeerView p : candidates) {
            if (chosen.size() >= slots) {
                break;
            }
            chosen.add(p.peer());
        }
        return chosen;
    }

    /** A new optimistic unchoke among the interested peers not in {@code regular}, or null. */
    public Object optimistic(List<PeerView> peers, Set<Object> regular, long nowNanos) {
        List<PeerView> pool = new ArrayList<>();
        int totalWeight = 0;
        for (PeerView p : peers) {
            if (p.interested() && !regular.contains(p.peer())) {
                pool.add(p);
                totalWeight += weight(p, nowNanos);
            }
        }
        if (pool.isEmpty()) {
            return null;
        }
        int pick = random.nextInt(totalWeight);
        for (PeerView p : pool) {
            pick -= weight(p, nowNanos);
            if (pick < 0) {
                return p.peer();
            }
        }
        return pool.get(pool.size() - 1).peer();
    }

    private static int weight(PeerView p, long nowNanos) {
        return nowNanos - p.connectedAtNanos() < NEW_PEER_NANOS ? 3 : 1;
    }
}
