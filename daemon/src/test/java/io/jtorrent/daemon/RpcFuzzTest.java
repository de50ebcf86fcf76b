package io.jtorrent.daemon;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.jtorrent.engine.Settings;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Coverage-guided fuzzing of the RPC's JSON and its arguments, through a real daemon (paths
 * confined to a temporary directory): every body gets a JSON answer with a {@code result} within a
 * bound, never an exception. {@code session-close} is left out (it would end the daemon under test),
 * and so are blocklist calls (a fuzzed URL must not be fetched: tests talk to loopback only).
 * Without {@code JAZZER_FUZZ=1} it replays the kept inputs.
 */
class RpcFuzzTest {
    private static Daemon daemon;
    private static Rpc rpc;

    private static synchronized Rpc rpc() throws Exception {
        if (rpc == null) {
            Path tmp = Files.createTempDirectory("jtorrent-rpc-fuzz");
            daemon = Daemon.start(new Daemon.Options(tmp.resolve("config"), tmp.resolve("downloads"), null, "127.0.0.1", 0, null,
                    Settings.builder().listenPort(0).bindAddress(InetAddress.getLoopbackAddress())));
            rpc = new Rpc(daemon);
            Runtime.getRuntime().addShutdownHook(new Thread(daemon::close));
        }
        return rpc;
    }

    @FuzzTest(maxDuration = "30s")
    void everyBodyGetsAJsonAnswer(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        if (text.contains("close") || text.contains("blocklist")) {
            return; // session-close would end the daemon; a blocklist URL would be fetched from wherever it names
        }
        byte[] answer = rpc().handle(input).get(30, TimeUnit.SECONDS);
        JsonNode a = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer); // Jackson's own parser checks our writer
        if (a == null || !a.has("result") || !a.get("result").isTextual()) {
            throw new AssertionError("an answer without a result: " + new String(answer, StandardCharsets.UTF_8));
        }
    }
}
