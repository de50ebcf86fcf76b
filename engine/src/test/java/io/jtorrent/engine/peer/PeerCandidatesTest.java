package io.jtorrent.engine.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PeerCandidatesTest {
    private static final long S = 1_000_000_000L;
    private final InetSocketAddress a = new InetSocketAddress("127.0.0.1", 1);
    private final InetSocketAddress b = new InetSocketAddress("127.0.0.1", 2);

    @Test
    void failuresBackOffAndTrackerAddressesAreGivenUp() {
        PeerCandidates c = new PeerCandidates();
        c.add(a, false);
        assertThat(c.due(0, 10, x -> false)).containsExactly(a);
        long now = 0;
        for (int i = 1; i <= PeerCandidates.MAX_FAILURES; i++) {
            c.dialing(a);
            assertThat(c.due(now, 10, x -> false)).isEmpty();
            c.dialFailed(a, now);
            assertThat(c.due(now + (1L << i) * S - 1, 10, x -> false)).as("before the back-off ends").isEmpty();
            now += 61 * S;
        }
        assertThat(c.due(now, 10, x -> false)).as("given up").isEmpty();
        c.add(a, true); // the user insists
        assertThat(c.due(now, 10, x -> false)).containsExactly(a);
    }

    @Test
    void selfBannedConnectedAndLimits() {
        PeerCandidates c = new PeerCandidates();
        c.add(a, true);
        c.add(b, true);
        assertThat(c.due(0, 1, x -> false)).hasSize(1);
        assertThat(c.due(0, 10, x -> x.equals(a))).containsExactly(b);
        c.self(a);
        assertThat(c.due(0, 10, x -> false)).containsExactly(b);
        assertThat(c.ban(b, new byte[20], false)).isTrue();
        assertThat(c.ban(b, new byte[20], false)).isFalse();
        assertThat(c.banned(new InetSocketAddress("127.0.0.1", 9), new byte[20])).as("same peer id").isTrue();
        assertThat(c.due(0, 10, x -> false)).isEmpty();
        c.add(b, true);
        assertThat(c.due(0, 10, x -> false)).as("a banned address is not taken back").isEmpty();
    }

    @Test
    void aPeerThatConnectedToUsIsBannedByItsAddressForItsNextConnections() {
        PeerCandidates c = new PeerCandidates();
        byte[] id = new byte[20];
        id[0] = 1;
        InetSocketAddress from = new InetSocketAddress("10.0.0.9", 50123);
        assertThat(c.ban(from, id, true)).isTrue();
        byte[] otherId = new byte[20];
        otherId[0] = 2;
        // another ephemeral port and a fresh peer id: still refused when it connects to us
        assertThat(c.banned(new InetSocketAddress("10.0.0.9", 50999), otherId, true)).isTrue();
        // a peer we dial at that host's listening port is judged by its own address
        assertThat(c.banned(new InetSocketAddress("10.0.0.9", 6881), otherId, false)).isFalse();
        assertThat(c.banned(new InetSocketAddress("10.0.0.10", 50999), otherId, true)).isFalse();
    }

    @Test
    void aPeerThatLeftIsRetriedLater() {
        PeerCandidates c = new PeerCandidates();
        c.add(a, false);
        c.dialing(a);
        c.joined(a);
        c.left(a, 0);
        assertThat(c.due(29 * S, 10, x -> false)).isEmpty();
        assertThat(c.due(31 * S, 10, x -> false)).containsExactly(a);
    }

    @Test
    void hintsSayHowToDialAndWhatWasLearnedIsForgottenWhenADialFails() {
        PeerCandidates c = new PeerCandidates();
        c.hint(a, PeerCandidates.UTP); // not a candidate: nothing kept
        assertThat(c.hints(a)).isZero();
        c.add(a, false);
        c.hint(a, PeerCandidates.UTP | PeerCandidates.ENCRYPTION); // what peer exchange said
        assertThat(c.hints(a)).isEqualTo(PeerCandidates.UTP | PeerCandidates.ENCRYPTION);
        c.hint(a, PeerCandidates.NO_UTP); // its uTP did not answer after all, TCP did
        assertThat(c.hints(a)).isEqualTo(PeerCandidates.NO_UTP | PeerCandidates.ENCRYPTION);
        c.hint(a, PeerCandidates.NO_ENCRYPTION);
        c.dialing(a);
        c.left(a, 0);
        assertThat(c.hints(a)).as("kept while it answers").isEqualTo(PeerCandidates.NO_UTP | PeerCandidates.ENCRYPTION
                | PeerCandidates.NO_ENCRYPTION);
        c.dialing(a);
        c.dialFailed(a, 0);
        assertThat(c.hints(a)).as("a failed dial: every way is tried again").isEqualTo(PeerCandidates.ENCRYPTION);
        c.hint(a, PeerCandidates.UTP);
        c.hint(a, PeerCandidates.NO_UTP);
        c.hint(a, PeerCandidates.UTP); // it answered over uTP again
        assertThat(c.hints(a) & (PeerCandidates.UTP | PeerCandidates.NO_UTP)).isEqualTo(PeerCandidates.UTP);
    }
}
