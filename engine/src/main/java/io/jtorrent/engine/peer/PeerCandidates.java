package io.jtorrent.engine.peer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The addresses a torrent may dial and what became of them: when to try each again (2, 4, 8 ...
 * 60 s after a failure; a tracker's address is given up after {@value #MAX_FAILURES} failures, one
 * the user gave never), which is ourselves, which are banned (by address and by peer id). Pure
 * bookkeeping with the time passed in; the torrent's loop owns it.
 */
public final class PeerCandidates {
    public static final int MAX_FAILURES = 5;
    /** Addresses kept at most: peer exchange and trackers cannot grow the table without bound. */
    public static final int MAX_CANDIDATES = 2000;
    private static final long SECOND = 1_000_000_000L;

    /** Hints on how to dial an address: it speaks uTP (peer exchange's flag 0x04, or it answered over uTP). */
    public static final int UTP = 1;
    /** Its uTP did not answer and TCP did: dial TCP at once (forgotten when a dial fails). */
    public static final int NO_UTP = 2;
    /** It prefers encryption (peer exchange's flag 0x01): dial it encrypted whatever our policy. */
    public static final int ENCRYPTION = 4;
    /** Its encryption handshake failed and plaintext worked: dial plaintext (forgotten when a dial fails). */
    public static final int NO_ENCRYPTION = 8;
    private static final int LEARNED = NO_UTP | NO_ENCRYPTION;

    private static final class Candidate {
        int hints;
        boolean manual;
        int failures;
        long nextAttempt;
        boolean connected;
        boolean self;
    }

    private final Map<InetSocketAddress, Candidate> candidates = new LinkedHashMap<>();
    /** Hosts banned for the connections they make to us. */
    private final Set<java.net.InetAddress> bannedHosts = new java.util.HashSet<>();
    private final Set<InetSocketAddress> bannedAddresses = new HashSet<>();
    private final Set<String> bannedPeerIds = new HashSet<>();

    /** Adds an address; one the user gave ({@code manual}) is tried at once, whatever happened before. */
    public void add(InetSocketAddress address, boolean manual) {
        if (address.getPort() == 0 || bannedAddresses.contains(address)) {
            return;
        }
        if (!manual && candidates.size() >= MAX_CANDIDATES && !candidates.containsKey(address)) {
            forgetOneGivenUp();
            if (candidates.size() >= MAX_CANDIDATES) {
                return;
            }
        }
        Candidate c = candidates.computeIfAbsent(address, a -> new Candidate());
        if (manual) {
            c.manual = true;
            c.failures = Math.min(c.failures, 1);
            c.nextAttempt = 0;
        }
    }

    /** Adds to what is known of how {@code address} answers ({@link #UTP}, {@link #ENCRYPTION} ...), if it is a candidate. */
    public void hint(InetSocketAddress address, int hints) {
        Candidate c = candidates.get(address);
        if (c != null) {
            if ((hints & UTP) != 0) {
                c.hints &= ~NO_UTP;
            }
            if ((hints & NO_UTP) != 0) {
                c.hints &= ~UTP;
            }
            c.hints |= hints;
        }
    }

    /** What is known of how {@code address} answers: {@link #UTP}, {@link #NO_UTP}, {@link #ENCRYPTION}, {@link #NO_ENCRYPTION}. */
    public int hints(InetSocketAddress address) {
        Candidate c = candidates.get(address);
        return c == null ? 0 : c.hints;
    }

    /** Up to {@code max} addresses to dial now, skipping those {@code skip} names (already connected). */
    public List<InetSocketAddress> due(long now, int max, Predicate<InetSocketAddress> skip) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Candidate> e : candidates.entrySet()) {
            if (out.size() >= max) {
                break;
            }
            Candidate c = e.getValue();
            if (c.connected || c.self || (c.failures >= MAX_FAILURES && !c.manual) || now < c.nextAttempt
                    || bannedAddresses.contains(e.getKey()) || skip.test(e.getKey())) {
                continue;
            }
            out.add(e.getKey());
        }
        return out;
    }

    /** Makes room by dropping an address that failed too often (and was not the user's). */
    private void forgetOneGivenUp() {
        for (java.util.Iterator<Candidate> it = candidates.values().iterator(); it.hasNext(); ) {
            Candidate c = it.next();
            if (!c.manual && !c.connected && c.failures >= MAX_FAILURES) {
                it.remove();
                return;
            }
        }
    }

    public void dialing(InetSocketAddress a) {
        Candidate c = candidates.get(a);
        if (c != null) {
            c.connected = true;
        }
    }

    public void dialFailed(InetSocketAddress a, long now) {
        Candidate c = candidates.get(a);
        if (c != null) {
            c.connected = false;
            c.hints &= ~LEARNED; // the next attempt tries every way again
            c.failures++;
            c.nextAttempt = now + Math.min(60 * SECOND, SECOND * (1L << Math.min(c.failures, 6)));
        }
    }

    public void joined(InetSocketAddress a) {
        Candidate c = candidates.get(a);
        if (c != null) {
            c.connected = true;
            c.failures = 0;
        }
    }

    /** The peer at {@code a} left: try it again in a while (sooner if the user gave it). */
    public void left(InetSocketAddress a, long now) {
        Candidate c = candidates.get(a);
        if (c != null) {
            c.connected = false;
            c.nextAttempt = now + (c.manual ? 5 : 30) * SECOND;
        }
    }

    /** The address turned out to be ourselves: never dial it again. */
    public void self(InetSocketAddress a) {
        Candidate c = candidates.get(a);
        if (c != null) {
            c.self = true;
        }
    }

    /**
     * Bans a peer; true if it was not banned before. A peer that connected to us is banned by its
     * address (any port: its port was ephemeral, the next connection would come from another), for
     * connections it makes to us; a peer we dialled, by address and port. Its peer id either way.
     */
    public boolean ban(InetSocketAddress a, byte[] peerId, boolean inbound) {
        bannedPeerIds.add(HexFormat.of().formatHex(peerId));
        boolean fresh = bannedAddresses.add(a);
        if (inbound) {
            fresh |= bannedHosts.add(a.getAddress());
        }
        return fresh;
    }

    /** Whether a peer may not join: by its address (and, for a connection it made, its host), or its peer id. */
    public boolean banned(InetSocketAddress a, byte[] peerId, boolean inbound) {
        return bannedAddresses.contains(a) || (inbound && bannedHosts.contains(a.getAddress()))
                || bannedPeerIds.contains(HexFormat.of().formatHex(peerId));
    }

    public boolean banned(InetSocketAddress a, byte[] peerId) {
        return banned(a, peerId, false);
    }
}
