package io.jtorrent.wire.utp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Coverage-guided fuzzing of what a uTP peer's datagrams reach: the packet parser, and a
 * connection fed whatever decodes. The parser only ever throws {@link UtpException}; the
 * connection never throws and sends only bounded packets. Without {@code JAZZER_FUZZ=1} it replays
 * the kept inputs.
 */
class UtpFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void datagramsOnlyEverCostTheirConnection(FuzzedDataProvider data) {
        List<UtpPacket> sent = new ArrayList<>();
        UtpConnection.Peer peer = new UtpConnection.Peer() {
            @Override
            public void send(UtpPacket p) {
                if (p.payload().length > UtpPacket.MSS) {
                    throw new AssertionError("oversized packet " + p);
                }
                sent.add(p);
            }

            @Override
            public void deliver(byte[] d) {
            }

            @Override
            public void connected() {
            }

            @Override
            public void closed(String reason) {
            }
        };
        UtpConnection c = null;
        long now = 0;
        while (data.remainingBytes() > 0) {
            byte[] datagram = data.consumeBytes(data.consumeInt(0, 1500));
            now += data.consumeInt(0, 2_000_000);
            try {
                UtpPacket p = UtpPacket.decode(datagram, 0, datagram.length);
                if (c == null) {
                    c = UtpConnection.accept(peer, p, new Random(1), now);
                    c.write(new byte[5000], 0, 5000, now);
                } else {
                    c.receive(p, now);
                    c.flushAck(now);
                    c.tick(now);
                }
            } catch (UtpException expected) {
                // dropped with a reason
            }
            if (sent.size() > 100_000) {
                throw new AssertionError("a storm of packets");
            }
        }
    }
}
