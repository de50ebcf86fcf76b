package io.jtorrent.tracker;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS for every HTTPS client of ours (trackers, web seeds, add-by-URL): the JDK's trusted roots and
 * the host name checked against the certificate (RFC 2818), which Netty's client handler does not
 * do unless asked. A certificate for another name fails the handshake.
 */
public final class VerifiedTls {
    private static SslContext defaultContext;

    private VerifiedTls() {
    }

    /** The shared client context trusting the JDK's roots. */
    public static synchronized SslContext defaultContext() throws SSLException {
        if (defaultContext == null) {
            defaultContext = SslContextBuilder.forClient().build();
        }
        return defaultContext;
    }

    /** A client handler for {@code host:port} that verifies the certificate names {@code host}. */
    public static SslHandler handler(SslContext context, ByteBufAllocator alloc, String host, int port) {
        SslHandler h = context.newHandler(alloc, host, port);
        SSLEngine engine = h.engine();
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(p);
        return h;
    }
}
