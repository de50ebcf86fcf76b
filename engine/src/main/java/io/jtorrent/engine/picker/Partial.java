package io.jtorrent.engine.picker;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A piece started and not yet verified: which of its blocks arrived, who was asked for each, who sent them. */
final class Partial<S> {
    final int piece;
    final int blocks;
    final boolean[] received;
    final List<List<S>> requesters;
    final Set<S> contributors = new LinkedHashSet<>(); // iterated (a failed piece's senders): insertion order, never identity hashes
    int receivedCount;
    int requestedCount; // blocks with at least one requester and not received

    Partial(int piece, int blocks) {
        this.piece = piece;
        this.blocks = blocks;
        this.received = new boolean[blocks];
        this.requesters = new ArrayList<>(blocks);
        for (int i = 0; i < blocks; i++) {
            requesters.add(new ArrayList<>(1));
        }
    }

    boolean hasUnrequested() {
        return receivedCount + requestedCount < blocks;
    }
}
