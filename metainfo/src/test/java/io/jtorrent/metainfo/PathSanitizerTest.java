package io.jtorrent.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PathSanitizerTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "plain.txt      | plain.txt",
        "..             | ''",
        ".              | ''",
        "''             | ''",
        "a/../b         | a..b",
        "C:\\evil       | C_evil",
        "trailing.      | trailing",
        "'space  '      | space",
        "CON            | _CON",
        "nul.txt        | _nul.txt",
        "CONSOLE        | CONSOLE",
    })
    void elements(String declared, String safe) {
        assertThat(PathSanitizer.element(declared)).isEqualTo(safe);
    }

    @Test
    void charactersWindowsForbidsBecomeUnderscores() {
        assertThat(PathSanitizer.element("a<b>c:d\"e|f?g*h")).isEqualTo("a_b_c_d_e_f_g_h");
    }

    @Test
    void controlCharactersAndNulBecomeUnderscores() {
        assertThat(PathSanitizer.element("a\0b\nc\u007f")).isEqualTo("a_b_c_");
    }

    @Test
    void longNamesAreShortenedKeepingTheExtension() {
        String name = "\u00e9".repeat(300) + ".mkv"; // two bytes each in UTF-8
        String safe = PathSanitizer.element(name);
        assertThat(safe).endsWith(".mkv");
        assertThat(safe.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
    }

    @Test
    void pathsNeverClimbOutOrStartAtTheRoot() {
        assertThat(PathSanitizer.path(List.of("/", "etc", "passwd"))).containsExactly("etc", "passwd");
        assertThat(PathSanitizer.path(List.of("..", "..", "x"))).containsExactly("x");
        assertThat(PathSanitizer.path(List.of("", "."))).containsExactly("_");
    }

    @Test
    void collisionsAreRenamedInOrder() throws Exception {
        List<List<String>> out = PathSanitizer.deduplicate(List.of(
                List.of("t", "a.txt"), List.of("t", "A.TXT"), List.of("t", "a.txt"),
                List.of("t", "d"), List.of("t", "d", "inner"),  // a directory where a file is
                List.of("t", "e", "f"), List.of("t", "e")));   // a file where a directory is
        assertThat(out).containsExactly(
                List.of("t", "a.txt"), List.of("t", "A.1.TXT"), List.of("t", "a.2.txt"),
                List.of("t", "d"), List.of("t", "d.1", "inner"),
                List.of("t", "e", "f"), List.of("t", "e.1"));
    }

    @Test
    void tooManyDuplicatesRejectTheTorrent() {
        List<List<String>> many = new ArrayList<>(Collections.nCopies(102, List.of("t", "x")));
        assertThatThrownBy(() -> PathSanitizer.deduplicate(many)).hasMessageContaining("too many duplicate file names");
    }
}
