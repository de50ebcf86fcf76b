package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tracker list's edits without a daemon: the order they apply in, and the bound on its size. */
class TrackerListsTest {
    private static ObjectNode args(String key, Object value) {
        return Json.object().set(key, new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(value));
    }

    @Test
    void editsApplyAndTheListIsBounded() {
        List<List<String>> tiers = List.of(List.of("http://a.invalid/announce", "http://b.invalid/announce"));
        assertThat(TrackerLists.edit(tiers, args("trackerReplace", List.of(1, "udp://c.invalid:80"))))
                .containsExactly(List.of("http://a.invalid/announce", "udp://c.invalid:80"));
        assertThat(TrackerLists.edit(tiers, args("trackerRemove", List.of(0))))
                .containsExactly(List.of("http://b.invalid/announce"));
        assertThatThrownBy(() -> TrackerLists.edit(tiers, args("trackerRemove", List.of(2)))).hasMessageContaining("no tracker has id 2");

        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= TrackerLists.MAX_TRACKERS; i++) {
            many.append("http://t").append(i).append(".invalid/announce\n");
        }
        assertThatThrownBy(() -> TrackerLists.edit(tiers, args("trackerList", many.toString())))
                .hasMessageContaining("more than " + TrackerLists.MAX_TRACKERS);
        String enough = many.substring(0, many.lastIndexOf("http://t"));
        assertThat(TrackerLists.edit(tiers, args("trackerList", enough)).get(0)).hasSize(TrackerLists.MAX_TRACKERS);
    }
}
