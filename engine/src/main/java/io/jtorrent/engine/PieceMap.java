package io.jtorrent.engine;

import java.util.BitSet;

/**
 * A torrent's pieces at a glance: which we have, which are being downloaded, and how many
 * connected peers have each (the picture behind a client's piece map).
 *
 * @param pieceCount the number of pieces
 * @param have verified pieces
 * @param downloading pieces with blocks requested or received, not yet verified
 * @param availability connected peers having each piece
 */
public record PieceMap(int pieceCount, BitSet have, BitSet downloading, int[] availability) {}
