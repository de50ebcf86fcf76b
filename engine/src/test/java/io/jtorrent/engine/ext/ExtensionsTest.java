package io.jtorrent.engine.ext;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.engine.SessionEvent;
import io.jtorrent.engine.peer.PeerConnection;
import io.jtorrent.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The extension list: what our handshake offers (PEX not for a private torrent), the metadata
 * size we can serve, and that a message under an id we no longer offer reaches nobody.
 */
class ExtensionsTest {
    private boolean pexAllowed = true;
    private final List<String> log = new ArrayList<>();

    private final Extension.Host host = new Extension.Host() {
        @Override
        public long now() {
            return 0;
        }

        @Override
        public InfoHash infoHash() {
            return InfoHash.v1(new byte[20]);
        }

        @Override
        public String name() {
            return "t";
        }

        @Override
        public void post(SessionEvent e) {
            log.add("event " + e);
        }

        @Override
        public List<PeerConnection> connectedPeers() {
            return List.of();
        }

        @Override
        public void ban(PeerConnection p, String reason) {
            log.add("ban " + reason);
        }

        @Override
        public void metadataReceived(byte[] info) {
            log.add("metadata");
        }

        @Override
        public boolean pexAllowed() {
            return pexAllowed;
        }

        @Override
        public void addCandidates(List<InetSocketAddress> addresses, boolean manual,
                                  java.util.function.ToIntFunction<InetSocketAddress> hints) {
            StringBuilder h = new StringBuilder();
            addresses.forEach(a -> h.append(hints.applyAsInt(a) == 0 ? "" : " " + a + "=" + hints.applyAsInt(a)));
            log.add("candidates " + addresses + h);
        }
    };

    @Test
    void theHandshakeOffersWhatIsEnabledAndMessagesReachOnlyThat() throws Exception {
        Extensions x = Extensions.standard(host, new byte[1234]);
        assertThat(x.offered()).containsEntry("ut_pex", PexExtension.ID).containsEntry("ut_metadata", MetadataExtension.ID);
        assertThat(x.metadataSize()).isEqualTo(1234);

        pexAllowed = false; // the metadata said private
        assertThat(x.offered()).containsOnlyKeys("ut_metadata");
        // a PEX message anyway (the peer kept an old id, or lies): nobody hears it, nothing is added
        x.message(null, PexExtension.ID, "d5:added6:\u007f\u0000\u0000\u0001\u001a\u0001e".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        x.message(null, 99, new byte[0]); // an id we never offered
        assertThat(log).isEmpty();
    }

    @Test
    void peerExchangeFlagsBecomeDialHints() throws Exception {
        Extensions x = Extensions.standard(host, new byte[10]);
        // three peers: 127.0.0.1:6657 with flags 0x05 (encryption, uTP), :6658 with 0x02 (a seed), :6659 with 0x04 (uTP)
        byte[] added = {127, 0, 0, 1, 0x1a, 0x01, 127, 0, 0, 1, 0x1a, 0x02, 127, 0, 0, 1, 0x1a, 0x03};
        String body = "d5:added18:" + new String(added, java.nio.charset.StandardCharsets.ISO_8859_1)
                + "7:added.f3:\u0005\u0002\u0004e";
        x.message(null, PexExtension.ID, body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(log).containsExactly("candidates [/127.0.0.1:6657, /127.0.0.1:6658, /127.0.0.1:6659] /127.0.0.1:6657="
                + (io.jtorrent.engine.peer.PeerCandidates.UTP | io.jtorrent.engine.peer.PeerCandidates.ENCRYPTION)
                + " /127.0.0.1:6659=" + io.jtorrent.engine.peer.PeerCandidates.UTP);
    }

    @Test
    void whileTheMetadataIsFetchedItsSizeIsUnknown() {
        assertThat(Extensions.standard(host, null).metadataSize()).isEqualTo(-1);
    }
}
