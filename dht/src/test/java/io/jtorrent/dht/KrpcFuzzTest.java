package io.jtorrent.dht;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.util.Random;

/**
 * Coverage-guided fuzzing of what a UDP datagram reaches: the KRPC decoder only ever throws
 * {@link KrpcException} (and what it decodes encodes again), and a node fed any datagram from any
 * address never throws. Without {@code JAZZER_FUZZ=1} it replays the kept inputs.
 */
class KrpcFuzzTest {
    private static final DhtNode NODE = new DhtNode(NodeId.random(new Random(1)), (d, a) -> { }, () -> 0L, new Random(2));
    private static final InetSocketAddress FROM = new InetSocketAddress("198.51.100.1", 6881); // never sent to: the transport drops

    @FuzzTest(maxDuration = "30s")
    void krpcParsingOnlyEverThrowsKrpcException(byte[] input) {
        try {
            KrpcCodec.encode(KrpcCodec.decode(input));
        } catch (KrpcException expected) {
            // refused with a reason
        }
        KrpcCodec.transactionIdOf(input);
        NODE.receive(input, FROM);
    }
}
