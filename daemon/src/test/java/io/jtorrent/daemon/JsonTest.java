package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The daemon's JSON without data binding, against Jackson's ObjectMapper (which the daemon used
 * before and the tests still have): the same trees read, the same bytes written, the same state
 * files, so files written by earlier versions read back unchanged.
 */
class JsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode randomTree(Random r, int depth) {
        int kind = depth > 3 ? 2 + r.nextInt(6) : r.nextInt(8);
        switch (kind) {
            case 0 -> {
                ObjectNode o = Json.object();
                for (int i = r.nextInt(5); i > 0; i--) {
                    o.set(randomString(r), randomTree(r, depth + 1));
                }
                return o;
            }
            case 1 -> {
                ArrayNode a = Json.array();
                for (int i = r.nextInt(5); i > 0; i--) {
                    a.add(randomTree(r, depth + 1));
                }
                return a;
            }
            case 2 -> {
                return Json.NODES.textNode(randomString(r));
            }
            case 3 -> {
                return Json.NODES.numberNode(r.nextInt());
            }
            case 4 -> {
                return Json.NODES.numberNode(r.nextLong());
            }
            case 5 -> {
                return Json.NODES.numberNode(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            }
            case 6 -> {
                return Json.NODES.booleanNode(r.nextBoolean());
            }
            default -> {
                return Json.NODES.nullNode();
            }
        }
    }

    private static String randomString(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            int c = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(0x20); // control characters, escaped
                case 1 -> "\"\\/".charAt(r.nextInt(3));
                case 2 -> 0x80 + r.nextInt(0x3000); // beyond ASCII
                default -> 'a' + r.nextInt(26);
            };
            b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void randomTreesReadAndWriteAsJacksonsObjectMapperDoes() throws IOException {
        Random r = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            JsonNode tree = randomTree(r, 0);
            byte[] ours = Json.write(tree);
            assertThat(ours).as("compact").isEqualTo(MAPPER.writeValueAsBytes(tree));
            assertThat(Json.writePretty(tree)).as("pretty").isEqualTo(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
            assertThat(Json.read(ours)).isEqualTo(MAPPER.readTree(ours)).isEqualTo(tree);
        }
    }

    @Test
    void badInputIsAnErrorNamingWhereNeverAPartialTree() {
        for (String bad : List.of("{", "{\"a\": }", "[1, 2", "{\"a\": 1} {\"b\": 2}", "nul", "{\"a\" 1}", "\"\\x\"")) {
            assertThatThrownBy(() -> Json.read(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isInstanceOf(IOException.class);
        }
        String deep = "[".repeat(65) + "]".repeat(65);
        assertThatThrownBy(() -> Json.read(deep.getBytes(StandardCharsets.UTF_8))).as("nesting bound")
                .isInstanceOf(IOException.class).hasMessageContaining("64");
    }

    @Test
    void aStateIsTheTreeDataBindingWroteAndReadsBackFromIt() throws IOException {
        DaemonState s = new DaemonState();
        s.nextId = 7;
        s.cumulativeUploaded = 1L << 40;
        s.seedRatioLimit = 1.5;
        s.downloadDir = "/data/\"x\"";
        s.utpEnabled = Boolean.FALSE;
        BandwidthGroups.Group g = new BandwidthGroups.Group();
        g.speedLimitUp = 300;
        g.speedLimitUpEnabled = true;
        s.groups.put("slow", g);
        TorrentRecord t = new TorrentRecord();
        t.id = 3;
        t.infoHash = "00".repeat(20);
        t.priorities = List.of(0, 1, -1);
        t.wanted = List.of(true, false, true);
        t.trackers = List.of(List.of("http://a/announce"), List.of("udp://b:1", "udp://c:2"));
        t.labels = List.of("tv");
        t.seedRatioLimit = 0.25;
        s.torrents.add(t);

        JsonNode ours = Json.tree(s);
        assertThat(ours).as("the state file's keys, order and values as data binding wrote them")
                .isEqualTo(MAPPER.valueToTree(s));
        assertThat(Json.writePretty(ours)).isEqualTo(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
        DaemonState back = Json.fromTree(MAPPER.readTree(MAPPER.writeValueAsBytes(s)), DaemonState.class);
        assertThat(Json.tree(back)).isEqualTo(ours);
        assertThat(back.groups.get("slow").speedLimitUp).isEqualTo(300);
        assertThat(back.torrents.get(0).trackers).isEqualTo(t.trackers);
        assertThat(Json.tree(s.copy())).as("a copy").isEqualTo(ours);
    }

    @Test
    void aStateReadIgnoresUnknownKeysAndNamesAWrongType() throws IOException {
        DaemonState s = Json.fromTree(Json.read("{\"nextId\": 4, \"fromTheFuture\": [1], \"torrents\": [{\"id\": 2, \"x\": {}}]}"
                .getBytes(StandardCharsets.UTF_8)), DaemonState.class);
        assertThat(s.nextId).isEqualTo(4);
        assertThat(s.torrents).singleElement().satisfies(t -> assertThat(t.id).isEqualTo(2));
        assertThat(s.speedLimitUpKBps).as("a default kept").isEqualTo(100);
        assertThatThrownBy(() -> Json.fromTree(Json.read("{\"torrents\": [{\"wanted\": [\"yes\"]}]}"
                .getBytes(StandardCharsets.UTF_8)), DaemonState.class)).hasMessageContaining("\"wanted[]\" must be true or false");
        assertThatThrownBy(() -> Json.fromTree(Json.read("{\"nextId\": \"seven\"}".getBytes(StandardCharsets.UTF_8)), DaemonState.class))
                .hasMessageContaining("\"nextId\" must be a number");
        assertThatThrownBy(() -> Json.fromTree(Json.read("{\"nextId\": 4294967297}".getBytes(StandardCharsets.UTF_8)), DaemonState.class))
                .as("an int field is not wrapped around").hasMessageContaining("\"nextId\" is out of range");
    }
}
