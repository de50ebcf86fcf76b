package io.jtorrent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtorrent.testkit.RpcClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code settings.json}: read at start under Transmission's names, written back on session-set
 * with the keys it does not know kept, the password as Transmission's salted hash, old state files
 * moved over, and a wrong type named with the file.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SettingsFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What transmission-daemon 3.00 wrote into its settings.json for the password "secret". */
    private static final String TRANSMISSION_HASH_OF_SECRET = "{6b9234a9bc15472deee3c7f47f5cc3a916523de4ihBiaF49";

    @TempDir
    Path tmp;

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void transmissionsSaltedPasswordsAreCheckedAndPlainOnesHashed() throws Exception {
        SettingsFile.Credentials hashed = SettingsFile.Credentials.parse("u:" + TRANSMISSION_HASH_OF_SECRET);
        assertThat(hashed.matches(basic("u:secret"))).isTrue();
        assertThat(hashed.matches(basic("u:Secret"))).isFalse();
        assertThat(hashed.matches(basic("v:secret"))).isFalse();
        assertThat(hashed.matches("Basic !!!")).isFalse();
        assertThat(hashed.matches(null)).isFalse();
        String mine = SettingsFile.Credentials.saltedHash("pa:ss");
        assertThat(mine).matches("\\{[0-9a-f]{40}[A-Za-z0-9./]{8}");
        assertThat(SettingsFile.Credentials.saltedHash("pa:ss")).as("a fresh salt each time").isNotEqualTo(mine);
        assertThat(SettingsFile.Credentials.parse("me:" + mine).matches(basic("me:pa:ss"))).isTrue();

        Files.createDirectories(tmp);
        Files.writeString(tmp.resolve("settings.json"), "{\"rpc-authentication-required\": true, \"rpc-username\": \"me\", "
                + "\"rpc-password\": \"plain\"}");
        SettingsFile f = SettingsFile.load(tmp);
        String creds = f.credentials();
        assertThat(creds).startsWith("me:{").doesNotContain("plain");
        f.write();
        JsonNode written = JSON.readTree(tmp.resolve("settings.json").toFile());
        assertThat(written.get("rpc-password").asText()).isEqualTo(creds.substring(3));
        assertThat(SettingsFile.Credentials.parse(creds).matches(basic("me:plain"))).isTrue();
    }

    /** A whole settings.json as transmission-daemon 3.00 wrote it here (its password "secret"), every key. */
    @Test
    void aWholeSettingsFileWrittenByTransmission300IsRead() throws Exception {
        try (var in = SettingsFileTest.class.getResourceAsStream("transmission-3.00-settings.json")) {
            Files.write(tmp.resolve("settings.json"), in.readAllBytes());
        }
        SettingsFile f = SettingsFile.load(tmp);
        assertThat(f.integer("rpc-port", 0)).isEqualTo(19191);
        assertThat(f.integer("peer-port", 0)).isEqualTo(19192);
        assertThat(f.bool("dht-enabled", true)).isFalse();
        assertThat(f.list("rpc-whitelist")).containsExactly("127.0.0.1", "::1");
        assertThat(f.umask()).isEqualTo(022);
        assertThat(SettingsFile.Credentials.parse(f.credentials()).matches(basic("u:secret"))).isTrue();
        DaemonState state = new DaemonState();
        f.applyTo(state);
        assertThat(state.encryption).isEqualTo("preferred");
        assertThat(state.seedRatioLimit).isEqualTo(2.0);
        assertThat(state.downloadQueueSize).isEqualTo(5);
        assertThat(state.blocklistUrl).isEqualTo("http://www.example.com/blocklist");
        assertThat(state.scriptTorrentDoneFilename).as("Transmission's empty name: none").isNull();
        f.save(state);
        JsonNode back = JSON.readTree(tmp.resolve("settings.json").toFile());
        assertThat(back.size()).as("every key kept").isEqualTo(66);
        assertThat(back.get("peer-congestion-algorithm").asText()).isEmpty();
        assertThat(back.get("encryption").asInt()).isEqualTo(1);
    }

    @Test
    void wrongTypesAreRefusedNamingTheKeyAndTheFile() throws IOException {
        for (String[] bad : new String[][] {
            {"{\"speed-limit-up\": \"fast\"}", "\"speed-limit-up\" must be a number"},
            {"{\"dht-enabled\": 1}", "\"dht-enabled\" must be a boolean"},
            {"{\"encryption\": 7}", "\"encryption\" must be 0 (tolerated)"},
            {"{\"rpc-port\": 70000}", "\"rpc-port\" must be 0..65535"},
            {"{\"umask\": \"rw\"}", "\"umask\" must be a number or an octal string"},
            {"[1, 2]", "must hold one JSON object"},
            {"{\"download-dir\": ", "not valid JSON"},
        }) {
            Files.writeString(tmp.resolve("settings.json"), bad[0]);
            assertThatThrownBy(() -> SettingsFile.load(tmp)).as(bad[0]).isInstanceOf(IOException.class)
                    .hasMessageContaining("settings.json").hasMessageContaining(bad[1]);
        }
        Files.write(tmp.resolve("settings.json"), new byte[(int) SettingsFile.MAX_SIZE + 1]);
        assertThatThrownBy(() -> SettingsFile.load(tmp)).as("a file past the size bound is not read")
                .hasMessageContaining("larger than " + SettingsFile.MAX_SIZE);
        Files.writeString(tmp.resolve("settings.json"), "{\"umask\": 18}");
        assertThat(SettingsFile.load(tmp).umask()).as("Transmission 3's number").isEqualTo(022);
        Files.writeString(tmp.resolve("settings.json"), "{\"umask\": \"002\"}");
        assertThat(SettingsFile.load(tmp).umask()).as("Transmission 4's octal string").isEqualTo(002);
    }

    @Test
    void theDaemonReadsTheFileAndWritesSessionSetBackKeepingUnknownKeys() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("settings.json"), "{\n"
                + "  \"speed-limit-up\": 123, \"speed-limit-up-enabled\": true, \"ratio-limit\": 1.5,\n"
                + "  \"ratio-limit-enabled\": true, \"encryption\": 2, \"download-queue-size\": 7,\n"
                + "  \"script-torrent-done-filename\": \"\", \"peer-socket-tos\": \"default\", \"message-level\": 2\n}\n");
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            RpcClient rpc = new RpcClient(d.rpcPort(), null);
            JsonNode s = rpc.call("session-get", Map.of()).get("arguments");
            assertThat(s.get("speed-limit-up").asInt()).isEqualTo(123);
            assertThat(s.get("speed-limit-up-enabled").asBoolean()).isTrue();
            assertThat(s.get("seedRatioLimit").asDouble()).isEqualTo(1.5);
            assertThat(s.get("seedRatioLimited").asBoolean()).isTrue();
            assertThat(s.get("encryption").asText()).isEqualTo("required");
            assertThat(s.get("download-queue-size").asInt()).isEqualTo(7);
            assertThat(rpc.call("session-set", Map.of("speed-limit-down", 321, "speed-limit-down-enabled", true,
                    "seedRatioLimit", 3.25, "encryption", "tolerated")).get("result").asText()).isEqualTo("success");
            TestData.await(java.time.Duration.ofSeconds(10), "settings.json written after session-set", () -> {
                try {
                    return JSON.readTree(config.resolve("settings.json").toFile()).path("speed-limit-down").asInt() == 321;
                } catch (IOException e) {
                    return false;
                }
            });
        }
        JsonNode file = JSON.readTree(config.resolve("settings.json").toFile());
        assertThat(file.get("speed-limit-down-enabled").asBoolean()).isTrue();
        assertThat(file.get("ratio-limit").asDouble()).isEqualTo(3.25);
        assertThat(file.get("encryption").asInt()).as("Transmission's number for tolerated").isZero();
        assertThat(file.get("speed-limit-up").asInt()).isEqualTo(123);
        assertThat(file.get("peer-socket-tos").asText()).as("a key this daemon does not know, kept").isEqualTo("default");
        assertThat(file.get("message-level").asInt()).isEqualTo(2);
        List<String> keys = new java.util.ArrayList<>();
        file.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).isSorted();
        JsonNode state = JSON.readTree(config.resolve("state.json").toFile());
        assertThat(state.has("speedLimitDownKBps")).as("the session settings live in settings.json only").isFalse();
        assertThat(state.has("torrents")).isTrue();
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            JsonNode s = new RpcClient(d.rpcPort(), null).call("session-get", Map.of()).get("arguments");
            assertThat(s.get("speed-limit-down").asInt()).as("kept across a restart").isEqualTo(321);
            assertThat(s.get("encryption").asText()).isEqualTo("tolerated");
        }
    }

    @Test
    void settingsInAnOldStateFileMoveToSettingsJson() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("state.json"), "{\"nextId\": 4, \"speedLimitUpKBps\": 77, \"speedLimitUpEnabled\": true, "
                + "\"encryption\": \"required\", \"torrents\": []}");
        try (Daemon d = Daemon.start(DaemonRpcTest.options(tmp, null))) {
            JsonNode s = new RpcClient(d.rpcPort(), null).call("session-get", Map.of()).get("arguments");
            assertThat(s.get("speed-limit-up").asInt()).isEqualTo(77);
            assertThat(s.get("encryption").asText()).isEqualTo("required");
        }
        JsonNode file = JSON.readTree(config.resolve("settings.json").toFile());
        assertThat(file.get("speed-limit-up").asInt()).isEqualTo(77);
        assertThat(file.get("speed-limit-up-enabled").asBoolean()).isTrue();
        assertThat(file.get("encryption").asInt()).isEqualTo(2);
        JsonNode state = JSON.readTree(config.resolve("state.json").toFile());
        assertThat(state.has("speedLimitUpKBps")).isFalse();
        assertThat(state.get("nextId").asInt()).isEqualTo(4);
    }
}
