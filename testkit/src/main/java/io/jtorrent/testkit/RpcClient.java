package io.jtorrent.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A test's Transmission RPC client: the session-id handshake, optional Basic auth, raw or JSON bodies. */
public final class RpcClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String auth;
    private String sessionId = "";

    public RpcClient(int port, String userPass) {
        this.base = "http://127.0.0.1:" + port;
        this.auth = userPass == null ? null : "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> raw(String path, String method, String body, boolean withSession) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (withSession) {
            b.header("X-Transmission-Session-Id", sessionId);
        }
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a body to the RPC, doing the 409 handshake; returns the parsed answer. */
    public JsonNode post(String body) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 2; attempt++) {
            HttpResponse<String> r = raw("/transmission/rpc", "POST", body, true);
            if (r.statusCode() == 409) {
                sessionId = r.headers().firstValue("X-Transmission-Session-Id").orElseThrow();
                continue;
            }
            if (r.statusCode() != 200) {
                throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        }
        throw new IOException("no session id accepted");
    }

    public JsonNode call(String method, Object arguments) throws IOException, InterruptedException {
        return post(JSON.writeValueAsString(java.util.Map.of("method", method, "arguments", arguments, "tag", 7)));
    }
}
