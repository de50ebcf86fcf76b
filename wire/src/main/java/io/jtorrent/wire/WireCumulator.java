package io.jtorrent.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * How {@link PeerWireDecoder} keeps the bytes of a message that has not all arrived yet.
 *
 * <p>Netty's default copies each read onto what is left of the last one, and when a block handed
 * on still holds that buffer (a {@link PeerMessage.Piece} is a slice of it until its piece takes
 * it) the copy goes to a new, larger buffer: nearly every read of a download moved its bytes once
 * more and had the allocator find a new buffer. Here a read of at least {@link #MIN_PART} bytes is
 * joined without copying, as one more part of a composite buffer (a block's payload then goes from
 * the buffer the socket read it into straight to its piece). Small reads (a slow peer, a trickle)
 * are copied instead, into a buffer that grows by doubling, so that a message arriving a few bytes
 * at a time neither builds thousands of parts nor costs more than a constant number of copies per
 * byte; and a composite of {@link #MAX_PARTS} parts is merged into one before it takes another.
 */
final class WireCumulator implements ByteToMessageDecoder.Cumulator {
    static final WireCumulator INSTANCE = new WireCumulator();
    /** Reads of at least this many bytes join without a copy. */
    static final int MIN_PART = 1024;
    /** At most this many parts in the composite; then merged. */
    static final int MAX_PARTS = 16;

    private WireCumulator() {
    }

    @Override
    public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (!cumulation.isReadable()) {
            cumulation.release();
            return in;
        }
        try {
            int n = in.readableBytes();
            boolean composite = cumulation instanceof CompositeByteBuf;
            if (!composite && cumulation.refCnt() == 1 && !cumulation.isReadOnly() && cumulation.writableBytes() >= n) {
                cumulation.writeBytes(in); // room where it is: appended (a trickle's common case)
                return cumulation;
            }
            if (n >= MIN_PART && !(composite && ((CompositeByteBuf) cumulation).numComponents() >= MAX_PARTS)) {
                CompositeByteBuf parts;
                if (composite && cumulation.refCnt() == 1) {
                    parts = (CompositeByteBuf) cumulation;
                    if (parts.writerIndex() != parts.capacity()) {
                        parts.capacity(parts.writerIndex()); // no room past the data: every part is a whole read
                    }
                } else {
                    parts = alloc.compositeBuffer(MAX_PARTS + 1).addFlattenedComponents(true, cumulation);
                }
                parts.addFlattenedComponents(true, in);
                in = null;
                return parts;
            }
            int size = cumulation.readableBytes() + n;
            ByteBuf merged = alloc.buffer(alloc.calculateNewCapacity(size, Integer.MAX_VALUE));
            merged.writeBytes(cumulation).writeBytes(in);
            cumulation.release();
            return merged;
        } finally {
            if (in != null) {
                in.release();
            }
        }
    }
}
