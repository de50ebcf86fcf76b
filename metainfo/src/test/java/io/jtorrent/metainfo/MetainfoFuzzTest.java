package io.jtorrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the torrent parser and the magnet parser (Jazzer). Without
 * {@code JAZZER_FUZZ=1} this replays the kept inputs under
 * {@code src/test/resources/io/jtorrent/metainfo/MetainfoFuzzTestInputs}; with it, it fuzzes.
 */
class MetainfoFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parserOnlyEverThrowsMetainfoException(byte @NotNull [] input) {
        try {
            Metainfo m = Metainfo.parse(input);
            Info info = m.info();
            assertThat(info.totalLength()).isPositive();
            assertThat((long) info.pieceCount()).isEqualTo((info.totalLength() + info.pieceLength() - 1) / info.pieceLength());
            for (FileEntry f : info.files()) {
                assertThat(f.resolveIn(Path.of("/save")).normalize().startsWith(Path.of("/save"))).isTrue();
                assertThat(f.path()).doesNotContain("..", ".", "");
            }
        } catch (MetainfoException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void magnetParserOnlyEverThrowsMetainfoException(@NotNull String input) {
        try {
            MagnetUri m = MagnetUri.parse(input);
            assertThat(MagnetUri.parse(m.toString())).isEqualTo(m);
        } catch (MetainfoException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
