package io.jtorrent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtorrent.testkit.ExternalProgram;
import io.jtorrent.testkit.ReferencePeer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A headless Chromium driven over the W3C WebDriver protocol through Debian's chromedriver, on
 * 127.0.0.1 only, with Chromium's background networking off. Enough of the protocol for a test:
 * navigate, find, type, click, run a script, take a screenshot. chromedriver is stopped by PID.
 */
final class WebDriver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final Process driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String session;

    WebDriver(Path workDir) throws Exception {
        Path chromedriver = ExternalProgram.require("chromedriver", "chromium-driver");
        Path chromium = ExternalProgram.require("chromium", "chromium");
        int port = ReferencePeer.freePort();
        driver = new ProcessBuilder(chromedriver.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(workDir.resolve("chromedriver.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        ExternalProgram.awaitListening(driver, port, Duration.ofSeconds(20), workDir.resolve("chromedriver.log"));
        base = "http://127.0.0.1:" + port;
        Map<String, Object> options = Map.of("binary", chromium.toString(), "args", List.of("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-default-apps", "--disable-sync", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                "--metrics-recording-only", "--safebrowsing-disable-auto-update", "--no-proxy-server",
                "--window-size=1400,860", "--user-data-dir=" + workDir.resolve("chromium-profile")));
        JsonNode created = send("POST", "/session", Map.of("capabilities", Map.of("alwaysMatch",
                Map.of("browserName", "chrome", "goog:chromeOptions", options))));
        session = created.get("sessionId").asText();
    }

    private JsonNode send(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode v = JSON.readTree(r.body()).get("value");
        if (r.statusCode() != 200) {
            throw new IOException("WebDriver " + method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return v;
    }

    void open(String url) throws Exception {
        send("POST", "/session/" + session + "/url", Map.of("url", url));
    }

    String find(String css) throws Exception {
        JsonNode e = send("POST", "/session/" + session + "/element", Map.of("using", "css selector", "value", css));
        if (e == null || !e.has(ELEMENT)) {
            throw new IOException("no element " + css + ": " + e);
        }
        return e.get(ELEMENT).asText();
    }

    void type(String css, String text) throws Exception {
        send("POST", "/session/" + session + "/element/" + find(css) + "/value", Map.of("text", text));
    }

    void click(String css) throws Exception {
        send("POST", "/session/" + session + "/element/" + find(css) + "/click", Map.of());
    }

    /** Runs a script in the page and returns its value (a failure is the test's). */
    JsonNode script(String js) {
        try {
            return send("POST", "/session/" + session + "/execute/sync", Map.of("script", js, "args", List.of()));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    byte[] screenshot() throws Exception {
        return java.util.Base64.getDecoder().decode(send("GET", "/session/" + session + "/screenshot", null).asText());
    }

    @Override
    public void close() {
        try {
            send("DELETE", "/session/" + session, null);
        } catch (Exception e) {
            // the driver goes anyway
        }
        ExternalProgram.kill(driver);
    }
}
