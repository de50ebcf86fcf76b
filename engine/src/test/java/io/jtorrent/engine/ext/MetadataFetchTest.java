package io.jtorrent.engine.ext;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.wire.MetadataMessage;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** BEP 9 bookkeeping without a socket: peers are strings, time a number. */
class MetadataFetchTest {
    private static final byte[] INFO = new byte[40_000]; // three 16 KiB pieces
    private static final byte[] HASH;

    static {
        new Random(1).nextBytes(INFO);
        try {
            HASH = MessageDigest.getInstance("SHA-1").digest(INFO);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] piece(byte[] source, int i) {
        int from = i * MetadataMessage.PIECE_SIZE;
        return Arrays.copyOfRange(source, from, Math.min(source.length, from + MetadataMessage.PIECE_SIZE));
    }

    @Test
    void piecesFromSeveralPeersAssembleAndVerify() {
        MetadataFetch<String> f = new MetadataFetch<>(HASH);
        assertThat(f.offered("a", INFO.length)).isNull();
        assertThat(f.offered("b", INFO.length)).isNull();
        List<Integer> fromA = f.toRequest("a", 0);
        List<Integer> fromB = f.toRequest("b", 0);
        assertThat(fromA).containsExactly(0, 1, 2);
        assertThat(fromB).isEmpty(); // all asked already
        assertThat(f.received("b", 0, INFO.length, piece(INFO, 0))).as("not asked of b").isEqualTo(MetadataFetch.Outcome.IGNORED);
        assertThat(f.received("a", 0, INFO.length + 1, piece(INFO, 0))).as("wrong total").isEqualTo(MetadataFetch.Outcome.IGNORED);
        assertThat(f.received("a", 0, INFO.length, piece(INFO, 0))).isEqualTo(MetadataFetch.Outcome.PROGRESS);
        assertThat(f.received("a", 1, INFO.length, piece(INFO, 1))).isEqualTo(MetadataFetch.Outcome.PROGRESS);
        assertThat(f.received("a", 2, INFO.length, piece(INFO, 2))).isEqualTo(MetadataFetch.Outcome.COMPLETE);
        assertThat(f.metadata()).isEqualTo(INFO);
    }

    @Test
    void aTimedOutRequestIsAskedOfAnotherPeer() {
        MetadataFetch<String> f = new MetadataFetch<>(HASH);
        f.offered("slow", INFO.length);
        f.offered("quick", INFO.length);
        assertThat(f.toRequest("slow", 0)).containsExactly(0, 1, 2);
        assertThat(f.toRequest("quick", MetadataFetch.TIMEOUT_NANOS + 1)).containsExactly(0, 1, 2);
        assertThat(f.received("slow", 0, INFO.length, piece(INFO, 0))).isEqualTo(MetadataFetch.Outcome.IGNORED);
    }

    @Test
    void badMetadataFromSeveralPeersIsPinnedDownOneSourceAtATime() {
        byte[] bad = INFO.clone();
        bad[20_000] ^= 1;
        MetadataFetch<String> f = new MetadataFetch<>(HASH);
        f.offered("honest", INFO.length);
        f.offered("liar", INFO.length);
        // honest gets 0..2 asked; take piece 1 back from it by timing out, give it to the liar
        assertThat(f.toRequest("honest", 0)).containsExactly(0, 1, 2);
        f.received("honest", 0, INFO.length, piece(INFO, 0));
        f.received("honest", 2, INFO.length, piece(INFO, 2));
        assertThat(f.toRequest("liar", MetadataFetch.TIMEOUT_NANOS + 1)).containsExactly(1);
        assertThat(f.received("liar", 1, INFO.length, piece(bad, 1))).isEqualTo(MetadataFetch.Outcome.HASH_FAILED);
        assertThat(f.lastContributors()).containsExactlyInAnyOrder("honest", "liar");
        // next round: one source at a time
        long now = 2 * MetadataFetch.TIMEOUT_NANOS;
        assertThat(f.toRequest("liar", now)).containsExactly(0, 1, 2);
        assertThat(f.toRequest("honest", now)).isEmpty();
        f.received("liar", 0, INFO.length, piece(bad, 0));
        f.received("liar", 1, INFO.length, piece(bad, 1));
        assertThat(f.received("liar", 2, INFO.length, piece(bad, 2))).isEqualTo(MetadataFetch.Outcome.HASH_FAILED);
        assertThat(f.lastContributors()).containsExactly("liar");
        f.peerGone("liar"); // banned by the torrent
        assertThat(f.toRequest("honest", now)).containsExactly(0, 1, 2);
        f.received("honest", 0, INFO.length, piece(INFO, 0));
        f.received("honest", 1, INFO.length, piece(INFO, 1));
        assertThat(f.received("honest", 2, INFO.length, piece(INFO, 2))).isEqualTo(MetadataFetch.Outcome.COMPLETE);
    }

    @Test
    void aLiarsSizeAnnouncedFirstDoesNotStallTheMagnet() {
        MetadataFetch<String> f = new MetadataFetch<>(HASH);
        assertThat(f.offered("liar", 99_999)).isNull();
        f.offered("honest1", INFO.length);
        f.offered("honest2", INFO.length);
        assertThat(f.size()).isEqualTo(99_999);
        assertThat(f.toRequest("honest1", 0)).as("another size: not asked yet").isEmpty();
        assertThat(f.toRequest("liar", 0)).hasSize(4);
        // the liar never answers: after the stall the size the others announced is fetched
        long later = MetadataFetch.STALL_NANOS + 1;
        assertThat(f.toRequest("honest1", later)).containsExactly(0, 1, 2);
        assertThat(f.size()).isEqualTo(INFO.length);
        f.received("honest1", 0, INFO.length, piece(INFO, 0));
        f.received("honest1", 1, INFO.length, piece(INFO, 1));
        assertThat(f.received("honest1", 2, INFO.length, piece(INFO, 2))).isEqualTo(MetadataFetch.Outcome.COMPLETE);
    }

    @Test
    void whenTheOnlyPeerWithTheSizeLeavesAnotherSizeIsTriedAtOnce() {
        MetadataFetch<String> f = new MetadataFetch<>(HASH);
        f.offered("liar", 50_000);
        f.offered("honest", INFO.length);
        f.peerGone("liar");
        assertThat(f.toRequest("honest", 0)).containsExactly(0, 1, 2);
        assertThat(f.size()).isEqualTo(INFO.length);
        assertThat(f.offered("x", MetadataMessage.MAX_METADATA_SIZE + 1L)).contains("outside");
        assertThat(f.offered("y", 0)).contains("outside");
    }
}
