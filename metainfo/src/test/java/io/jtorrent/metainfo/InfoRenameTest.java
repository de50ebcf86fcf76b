package io.jtorrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jtorrent.bencode.BBytes;
import io.jtorrent.bencode.BDictionary;
import io.jtorrent.bencode.BList;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Info.renamed / Metainfo.renamed: another layout on disk, the same torrent for peers. */
class InfoRenameTest {
    private static BDictionary file(long length, String... path) {
        return BDictionary.builder().put("length", length)
                .put("path", BList.of(Arrays.stream(path).map(BBytes::of).toList())).build();
    }

    private static Metainfo album() throws MetainfoException {
        BList files = BList.of(file(10, "a.bin"), file(20, "disc", "b.bin"), file(30, "disc", "c.bin"));
        return Metainfo.parse(BDictionary.builder().put("info", BDictionary.builder().put("name", "album")
                .put("piece length", 16384).put("pieces", new byte[20]).put("files", files).build()).build().encode());
    }

    @Test
    void aFileADirectoryAndTheTorrentItself() throws MetainfoException {
        Metainfo m = album();
        Metainfo file = m.renamed("album/disc/b.bin", "one.bin");
        assertThat(file.info().files()).extracting(FileEntry::pathString)
                .containsExactly("album/a.bin", "album/disc/one.bin", "album/disc/c.bin");
        assertThat(file.info().files().get(1).offset()).isEqualTo(10);
        Metainfo dir = file.renamed("album/disc", "CD 1");
        assertThat(dir.info().files()).extracting(FileEntry::pathString)
                .containsExactly("album/a.bin", "album/CD 1/one.bin", "album/CD 1/c.bin");
        Metainfo top = dir.renamed("album", "Album");
        assertThat(top.info().name()).isEqualTo("Album");
        assertThat(top.info().files()).extracting(FileEntry::pathString).allMatch(p -> p.startsWith("Album/"));
        assertThat(top.infoHash()).as("the same torrent").isEqualTo(m.infoHash());
        assertThat(top.infoBytes()).isEqualTo(m.infoBytes());
        assertThat(Metainfo.parse(top.toTorrentFile()).info().name()).as("what peers and files get").isEqualTo("album");
        assertThat(m.info().files().get(1).pathString()).as("the original unchanged").isEqualTo("album/disc/b.bin");
    }

    @Test
    void badPathsAndNamesAreRefused() throws MetainfoException {
        Metainfo m = album();
        assertThatThrownBy(() -> m.renamed("album/nope.bin", "x")).hasMessageContaining("not a path in this torrent");
        assertThatThrownBy(() -> m.renamed("album/dis", "x")).as("a prefix of a name is not a path").hasMessageContaining("not a path");
        assertThatThrownBy(() -> m.renamed("", "x")).hasMessageContaining("not a path");
        assertThatThrownBy(() -> m.renamed("album//a.bin", "x")).hasMessageContaining("not a path");
        for (String bad : new String[] {"", ".", "..", "a/b", "a\\b", "a\0b", "x".repeat(256)}) {
            assertThatThrownBy(() -> m.renamed("album/a.bin", bad)).as(bad).hasMessageContaining("not a valid file name");
        }
        assertThatThrownBy(() -> m.renamed("album/a.bin", "disc")).hasMessageContaining("already a path");
        assertThatThrownBy(() -> m.renamed("album/disc/b.bin", "c.bin")).hasMessageContaining("already a path");
    }
}
