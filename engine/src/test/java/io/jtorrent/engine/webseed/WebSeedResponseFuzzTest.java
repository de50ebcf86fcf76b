package io.jtorrent.engine.webseed;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Coverage-guided fuzzing of a web seed's answer to a range request: any bytes from the server
 * end in exactly the bytes asked for or a {@link WebSeed.WebSeedException}, never anything else.
 * Without {@code JAZZER_FUZZ=1} it replays the kept inputs.
 */
class WebSeedResponseFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void anyServerAnswerGivesTheRangeOrAWebSeedError(byte[] input) {
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        EmbeddedChannel ch = new EmbeddedChannel(new HttpClientCodec(4096, 16384, 16384),
                new WebSeed.RangeResponse(100, 164, false, result));
        ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/f"));
        ch.releaseOutbound();
        ch.writeInbound(Unpooled.wrappedBuffer(input));
        ch.finishAndReleaseAll();
        if (!result.isDone()) {
            throw new AssertionError("no outcome after the connection closed");
        }
        try {
            ByteBuf b = result.join();
            if (b.readableBytes() != 64) {
                throw new AssertionError("a range of " + b.readableBytes() + " bytes for a request of 64");
            }
            b.release();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof WebSeed.WebSeedException)) {
                throw e;
            }
        }
    }
}
