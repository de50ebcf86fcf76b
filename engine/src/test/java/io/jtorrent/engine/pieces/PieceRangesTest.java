package io.jtorrent.engine.pieces;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtorrent.bencode.BBytes;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BList;
import io.jtorrent.metainfo.Info;
import io.jtorrent.metainfo.Metainfo;
import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Files against pieces, as tables: 16 KiB pieces over files of 10,000 / 0 / 20,000 / 5,000 bytes. */
class PieceRangesTest {
    private static Info info() throws Exception {
        BList files = BList.of(file(10_000, "a"), file(0, "empty"), file(20_000, "b"), file(5_000, "c"));
        return Metainfo.parse(BDictionary.builder().put("info", BDictionary.builder().put("name", "t")
                .put("piece length", 16384).put("pieces", new byte[3 * 20]).put("files", files).build()).build().encode()).info();
    }

    private static BDictionary file(long length, String name) {
        return BDictionary.builder().put("length", length).put("path", BList.of(BBytes.of(name))).build();
    }

    private static BitSet bits(String s) {
        return io.jtorrent.testkit.Bits.of(s);
    }

    @Test
    void rangesAndPieces() throws Exception {
        Info info = info();
        // a: bytes 0..9,999 (piece 0); b: 10,000..29,999 (pieces 0, 1); c: 30,000..34,999 (pieces 1, 2)
        assertThat(PieceRanges.firstPiece(info, 16_383)).isZero();
        assertThat(PieceRanges.firstPiece(info, 16_384)).isEqualTo(1);
        assertThat(PieceRanges.lastPiece(info, 16_384, 1)).isEqualTo(1);
        assertThat(PieceRanges.lastPiece(info, 10_000, 20_000)).isEqualTo(1);
        assertThat(PieceRanges.filesOf(info, 0)).isEqualTo(bits("1010"));
        assertThat(PieceRanges.filesOf(info, 1)).isEqualTo(bits("0011"));
        assertThat(PieceRanges.filesOf(info, 2)).isEqualTo(bits("0001"));
    }

    @Test
    void piecePrioritiesAreTheHighestOfTheirFiles() throws Exception {
        Info info = info();
        assertThat(PieceRanges.piecePriorities(info, null)).containsExactly(1, 1, 1);
        assertThat(PieceRanges.piecePriorities(info, new byte[] {0, 7, 0, 0})).as("an empty file weighs nothing").containsExactly(0, 0, 0);
        assertThat(PieceRanges.piecePriorities(info, new byte[] {2, 0, 0, 1})).containsExactly(2, 1, 1);
        assertThat(PieceRanges.piecePriorities(info, new byte[] {0, 0, 1, 0})).containsExactly(1, 1, 0);
    }

    @Test
    void verifiedBytesAndFilesFromTheVerifiedPieces() throws Exception {
        Info info = info();
        assertThat(PieceRanges.fileProgress(info, bits("000"))).containsExactly(0, 0, 0, 0);
        assertThat(PieceRanges.fileProgress(info, bits("100"))).containsExactly(10_000, 0, 6_384, 0);
        assertThat(PieceRanges.fileProgress(info, bits("011"))).containsExactly(0, 0, 13_616, 5_000);
        assertThat(Arrays.stream(PieceRanges.fileProgress(info, bits("111"))).sum()).isEqualTo(35_000);
        assertThat(PieceRanges.filesWithVerifiedData(info, bits("001"))).isEqualTo(bits("0001"));
        assertThat(PieceRanges.filesWithVerifiedData(info, bits("100"))).isEqualTo(bits("101"));
    }
}
