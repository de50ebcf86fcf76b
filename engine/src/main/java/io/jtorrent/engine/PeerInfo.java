package io.jtorrent.engine;

import java.net.InetSocketAddress;

/**
 * A snapshot of one connected peer, for programs that show peers (the daemon's RPC and web UI).
 *
 * @param address where it is
 * @param client its client name (extended handshake) or peer id text
 * @param downloadRate payload bytes per second from it
 * @param uploadRate payload bytes per second to it
 * @param progress fraction of the pieces it has, 0..1
 * @param amChoking we choke it
 * @param amInterested we want pieces it has
 * @param peerChoking it chokes us
 * @param peerInterested it wants pieces we have
 * @param outgoing we dialled it
 * @param encrypted the connection is encrypted (MSE, RC4)
 * @param utp the connection is uTP (else TCP)
 */
public record PeerInfo(InetSocketAddress address, String client, long downloadRate, long uploadRate, double progress,
                       boolean amChoking, boolean amInterested, boolean peerChoking, boolean peerInterested,
                       boolean outgoing, boolean encrypted, boolean utp) {}
